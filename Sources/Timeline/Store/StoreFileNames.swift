/// How a store names its files (docs/STORE.md, "Files"), and what each name
/// in a store's folder is: record files (`index-000001.tsi`,
/// `data-000001.tsd`), the MANIFEST, side files, and temporary files a
/// killed run may leave. Every part that lists, creates, copies or cleans
/// up a store's folder asks here, so no two parts can disagree on a name.
enum StoreFileNames {
    /// The first bytes of a data file.
    static let dataMagic: [UInt8] = Array("TSCPDATA".utf8)
    /// The first bytes of an index file.
    static let indexMagic: [UInt8] = Array("TSCPINDX".utf8)

    /// `index-000012.tsi`.
    static func index(_ number: UInt32) -> String { "index-" + sixDigits(number) + ".tsi" }
    /// `data-000012.tsd`.
    static func data(_ number: UInt32) -> String { "data-" + sixDigits(number) + ".tsd" }

    /// The side files a store may have: the debugger's marks, the store's
    /// settings, and the copy of an encrypted store's id.
    static let sideFiles = ["MARKS", "CONFIG", StoreIdentity.fileName]

    /// Whether `name` is an index or a data file's.
    static func isRecordFile(_ name: String) -> Bool {
        (name.hasPrefix("data-") && name.hasSuffix(".tsd")) || (name.hasPrefix("index-") && name.hasSuffix(".tsi"))
    }

    /// Whether `name` is a temporary file of the MANIFEST or a side file,
    /// which a killed run may leave.
    static func isTemporary(_ name: String) -> Bool {
        (["MANIFEST"] + sideFiles).contains { name.hasPrefix($0 + ".tmp-") }
    }

    /// Where the bytes of `name` past a generation's committed length are
    /// copied before they are cut (`NAME.tail-set-aside-GEN`, `-2`, `-3`
    /// for later attempts): no clean-up touches such a file.
    static func tailSetAside(of name: String, generation: UInt64, attempt: Int = 1) -> String {
        "\(name).tail-set-aside-\(generation)" + (attempt > 1 ? "-\(attempt)" : "")
    }

    /// Where `recover` moves a record file that its new generation does not
    /// name (`NAME.set-aside-GEN`).
    static func setAside(_ name: String, generation: UInt64) -> String { "\(name).set-aside-\(generation)" }

    /// Whether `name` is one a store's folder keeps for itself: the
    /// MANIFEST, `LOCK`, record files, side files, their temporary files,
    /// and what recovery sets aside.
    static func isStoreOwned(_ name: String) -> Bool {
        name == "MANIFEST" || name == "LOCK" || isRecordFile(name) || sideFiles.contains(name) || isTemporary(name)
            || name.contains(".tail-set-aside-") || name.contains(".set-aside-")
    }

    /// What a folder without a MANIFEST holds: `storeFiles` that may hold
    /// records (never initialised over), files a creation that never
    /// committed left (`removable`: temporary files, and the first index
    /// and data files with nothing but their headers), and `others`.
    static func creationLeftovers(in folder: any StoreFolder) throws(TimelineError) -> (storeFiles: [String], removable: [String], others: [String]) {
        var result: (storeFiles: [String], removable: [String], others: [String]) = ([], [], [])
        for entry in try folder.entries() where entry.name != "LOCK" {
            if isTemporary(entry.name) {
                result.removable.append(entry.name)
            } else if entry.name == index(1) || entry.name == data(1), entry.kind == .regularFile,
                let size = try? folder.open(entry.name, mode: .read).size(), size <= UInt64(RecordFile.headerSize) {
                result.removable.append(entry.name)
            } else if isRecordFile(entry.name) || entry.name.hasPrefix("MANIFEST") || sideFiles.contains(entry.name) {
                result.storeFiles.append(entry.name)
            } else {
                result.others.append(entry.name)
            }
        }
        return result
    }

    /// A file number with at least six digits.
    private static func sixDigits(_ number: UInt32) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
