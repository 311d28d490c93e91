import PackCodec

/// The store's `MANIFEST`: which generation is committed and how many bytes
/// of each file belong to it (docs/STORE.md, "Manifest"). Anything past
/// these lengths, and any file it does not name, is ignored: that is how a
/// commit interrupted at any instant leaves the last generation intact.
struct StoreManifest: Equatable {
    static let magic: [UInt8] = Array("TSCPSTOR".utf8)
    static let currentMajor: UInt16 = 1

    /// A committed file: its number and committed length.
    struct FileExtent: Equatable {
        var number: UInt32
        var length: UInt64
    }

    /// Flag bit 0: the store is encrypted, and the key check follows.
    static let encryptedFlag: UInt32 = 1
    /// Flag bit 1 (1.2): the store's 16-byte random id follows (after the
    /// key check); an encrypted store's records are bound to it.
    static let storeIDFlag: UInt32 = 2

    var generation: UInt64
    var index: FileExtent
    var dataFiles: [FileExtent]
    /// For an encrypted store, the key's 16-byte check value
    /// (``EncryptionKey/checkValue``); `nil` for a plain store.
    var keyCheck: [UInt8]? = nil
    /// The store's random id (16 bytes), bound into every encrypted
    /// record's authenticated data; `nil` in plain stores and in encrypted
    /// stores made before 1.2.
    var storeID: [UInt8]? = nil

    var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(Self.magic)
        writer.writeInteger(Self.currentMajor)
        if let keyCheck {
            writer.writeInteger(UInt16(storeID == nil ? 1 : 2))
            writer.writeInteger(Self.encryptedFlag | (storeID == nil ? 0 : Self.storeIDFlag))
            writer.writeBytes(keyCheck)
            if let storeID { writer.writeBytes(storeID) }
        } else {
            writer.writeInteger(UInt16(0))
            writer.writeInteger(UInt32(0))
        }
        writer.writeInteger(generation)
        writer.writeInteger(index.number)
        writer.writeInteger(index.length)
        writer.writeInteger(UInt32(dataFiles.count))
        for file in dataFiles {
            writer.writeInteger(file.number)
            writer.writeInteger(file.length)
        }
        writer.writeInteger(CRC32.checksum(writer.bytes))
        return writer.bytes
    }

    static func parse(_ bytes: [UInt8], path: String) throws(TimelineError) -> StoreManifest {
        do throws(PackError) {
            return try bytes.withBytes { (buffer) throws(PackError) in
                var reader = ByteReader(buffer)
                guard buffer.count >= 8, Array(try reader.readBytes(8)) == magic else {
                    throw PackError.malformed(offset: 0, reason: "not a store manifest")
                }
                let major = try reader.readInteger(as: UInt16.self)
                guard major <= currentMajor else { throw PackError.newerVersion(major: major, minor: 0) }
                _ = try reader.readInteger(as: UInt16.self)
                let flags = try reader.readInteger(as: UInt32.self)
                guard flags & ~(encryptedFlag | storeIDFlag) == 0, flags & storeIDFlag == 0 || flags & encryptedFlag != 0 else {
                    throw PackError.malformed(offset: 12, reason: "unknown store flags 0x\(String(flags, radix: 16)) (written by a newer version?)")
                }
                let keyCheck = flags & encryptedFlag != 0 ? Array(try reader.readBytes(16)) : nil
                let storeID = flags & storeIDFlag != 0 ? Array(try reader.readBytes(16)) : nil
                let generation = try reader.readInteger(as: UInt64.self)
                let index = FileExtent(number: try reader.readInteger(), length: try reader.readInteger())
                let count = try reader.readInteger(as: UInt32.self)
                guard UInt64(count) * 12 <= UInt64(reader.remaining) else {
                    throw PackError.truncated(needed: Int(count) * 12, available: reader.remaining, offset: reader.offset)
                }
                var files: [FileExtent] = []
                for _ in 0..<count { files.append(FileExtent(number: try reader.readInteger(), length: try reader.readInteger())) }
                let end = reader.offset
                let stored = try reader.readInteger(as: UInt32.self)
                let actual = CRC32.checksum(Array(bytes[0..<end]))
                guard stored == actual else { throw PackError.tableOfContentsChecksumMismatch(expected: Checksum(.crc32, UInt64(stored)), actual: Checksum(.crc32, UInt64(actual))) }
                guard reader.isAtEnd else { throw PackError.malformed(offset: reader.offset, reason: "bytes after the checksum") }
                return StoreManifest(generation: generation, index: index, dataFiles: files, keyCheck: keyCheck, storeID: storeID)
            }
        } catch {
            if case .newerVersion(let major, _) = error { throw .newerStoreVersion(path: path, major: major) }
            throw .file(path: path, error)
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

extension StoreManifest {
    /// Checks that every block `checkpoint` references lies inside the
    /// committed bytes of a data file this MANIFEST names, so no reader
    /// reads past a committed length and no writer's clean-up cuts a
    /// referenced byte. `path` is the MANIFEST's, which errors name.
    func checkReferences(of checkpoint: Checkpoint, path: String) throws(TimelineError) {
        for ref in checkpoint.blockRefs {
            guard let committed = dataFiles.first(where: { $0.number == ref.file })?.length else {
                throw .manifestContradiction(path: path, field: "data file list",
                                             reason: "does not name data file \(ref.file), which \(checkpoint.id) references")
            }
            guard ref.liesWithin(committed) else {
                throw .manifestContradiction(path: path, field: "data file \(ref.file) length",
                                             reason: "is \(committed), but \(checkpoint.id) references bytes \(ref.offset)+\(ref.length)")
            }
        }
    }
}
