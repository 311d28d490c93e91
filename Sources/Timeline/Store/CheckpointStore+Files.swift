import PackCodec

extension CheckpointStore {
    /// A store file, from the folder or from its region.
    static func recordFile(folder: (any StoreFolder)?, path: String, name: String, regions: [String: StoreRegion]?, magic: [UInt8], number: UInt32,
                           writable: Bool, sealer: RecordSealer) throws(TimelineError) -> RecordFile {
        if let folder {
            return try RecordFile(folder: folder, name: name, magic: magic, number: number, writable: writable, create: false, sealer: sealer)
        }
        guard let region = regions?[name] else {
            throw .file(path: path + "/" + name, .io(operation: "missing store file", path: path + "/" + name, errno: 2))
        }
        return try RecordFile(region: region, path: path + "/" + name, magic: magic, number: number, sealer: sealer)
    }

    /// The MANIFEST as it is now in the folder (a follower's view).
    func readCurrentManifest() throws(TimelineError) -> StoreManifest {
        guard let folder else { return manifest }
        guard let bytes = try folder.read("MANIFEST", limit: 1 << 24) else { throw .notAStore(path: path) }
        let latest = try StoreManifest.parse(bytes, path: manifestPath)
        try latest.checkShape(path: manifestPath)
        return latest
    }

    /// Checks that every block a checkpoint references lies inside the
    /// committed bytes of a data file the MANIFEST names, so no reader reads
    /// past a committed length and no writer's clean-up cuts a referenced byte.
    func checkReferences(of checkpoint: Checkpoint) throws(TimelineError) {
        for ref in checkpoint.blockRefs {
            guard let committed = manifest.dataFiles.first(where: { $0.number == ref.file })?.length else {
                throw .manifestContradiction(path: manifestPath, field: "data file list",
                                             reason: "does not name data file \(ref.file), which \(checkpoint.id) references")
            }
            guard ref.liesWithin(committed) else {
                throw .manifestContradiction(path: manifestPath, field: "data file \(ref.file) length",
                                             reason: "is \(committed), but \(checkpoint.id) references bytes \(ref.offset)+\(ref.length)")
            }
        }
    }
}

extension BlockRef {
    /// Whether the record this refers to lies inside the first `length`
    /// bytes of its data file (after the file's and the record's headers).
    func liesWithin(_ length: UInt64) -> Bool {
        offset >= UInt64(RecordFile.headerSize + RecordFile.recordHeaderSize) && offset <= length && self.length <= length - offset
    }
}

extension StoreManifest {
    /// Checks what the MANIFEST says of itself: one index and at least one
    /// data file, distinct non-zero numbers, lengths no shorter than a
    /// file header.
    func checkShape(path: String) throws(TimelineError) {
        guard !dataFiles.isEmpty else { throw .manifestContradiction(path: path, field: "data file list", reason: "is empty") }
        guard index.number != 0 else { throw .manifestContradiction(path: path, field: "index file number", reason: "is 0") }
        var seen = Set<UInt32>()
        for file in dataFiles {
            guard file.number != 0, seen.insert(file.number).inserted else {
                throw .manifestContradiction(path: path, field: "data file list", reason: "names data file \(file.number) twice or as 0")
            }
        }
        for (field, length) in [("index file \(index.number) length", index.length)] + dataFiles.map({ ("data file \($0.number) length", $0.length) }) {
            guard length >= UInt64(RecordFile.headerSize) else {
                throw .manifestContradiction(path: path, field: field, reason: "is \(length), shorter than the file's own header")
            }
        }
    }

    /// Checks a committed length against the file it describes.
    func check(length: UInt64, of file: RecordFile, field: String, path: String) throws(TimelineError) {
        guard length <= file.length else {
            throw .manifestContradiction(path: path, field: field, reason: "is \(length), but \(file.path) holds only \(file.length) bytes")
        }
    }
}
