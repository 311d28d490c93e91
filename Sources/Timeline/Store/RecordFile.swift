import PackCodec


/// An append-only file of checksummed records (docs/STORE.md, "Records"):
/// a 16-byte header (magic, version, file number), then records of
/// `"TREC"`, `u8 kind`, three zero bytes, `u64 length`, `u32 checksum`,
/// payload. The checksum is the payload's CRC-32 in a version-1 file and
/// the low 32 bits of its XXH3-64 in a version-2 file (store 1.8: eight
/// times as fast here, and every step reads records); a file keeps the
/// version it was made with.
/// A class because it owns a file descriptor.
final class RecordFile {
    static let headerSize = 16
    static let recordHeaderSize = 20
    static let recordMagic: [UInt8] = Array("TREC".utf8)
    /// The version of the files this code makes.
    static let currentVersion: UInt32 = 2

    let path: String
    let number: UInt32
    /// The file's magic: tells data files from index files.
    let magic: [UInt8]
    /// The file's version: which checksum its records carry.
    let version: UInt32
    /// Seals and opens payloads: the identity in a plain store.
    let sealer: RecordSealer
    private let file: any StoreFileHandle
    /// The file's current end (what has been appended, committed or not).
    private(set) var length: UInt64

    /// Opens a store file that is a region of another file (a bundled
    /// package's entry), read-only.
    convenience init(region: StoreRegion, path: String, magic: [UInt8], number: UInt32, sealer: RecordSealer) throws(TimelineError) {
        try self.init(file: try RegionStoreFile(region: region, path: path), magic: magic, number: number, create: false, sealer: sealer)
    }

    /// Opens (or, when `create`, creates: it must not exist yet) the record
    /// file `name` of a store folder.
    convenience init(folder: any StoreFolder, name: String, magic: [UInt8], number: UInt32, writable: Bool, create: Bool,
                     sealer: RecordSealer) throws(TimelineError) {
        let file = try folder.open(name, mode: create ? .createNew : writable ? .readWrite : .read)
        try self.init(file: file, magic: magic, number: number, create: create, sealer: sealer)
    }

    private init(file: any StoreFileHandle, magic: [UInt8], number: UInt32, create: Bool, sealer: RecordSealer) throws(TimelineError) {
        self.file = file
        path = file.path
        self.number = number
        self.magic = magic
        self.sealer = sealer
        length = try file.size()
        if create {
            version = Self.currentVersion
            var writer = ByteWriter()
            writer.writeBytes(magic)
            writer.writeInteger(version)
            writer.writeInteger(number)
            try append(writer.bytes)
        } else {
            guard length >= UInt64(Self.headerSize) else {
                throw .file(path: path, .truncated(needed: Self.headerSize, available: Int(clamping: length), offset: 0))
            }
            let header = try file.read(at: 0, count: Self.headerSize)
            guard Array(header[0..<8]) == magic else { throw .file(path: path, .malformed(offset: 0, reason: "bad magic")) }
            version = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
            guard version == 1 || version == 2 else {
                throw .file(path: path, .malformed(offset: 8, reason: "record file version \(version): written by a newer Tickscope (this one reads 1 and 2)"))
            }
        }
    }

    /// The checksum a record of a file of `version` carries for `payload`.
    static func checksum(_ payload: [UInt8], version: UInt32) -> UInt32 {
        version == 1 ? CRC32.checksum(payload) : UInt32(truncatingIfNeeded: XXH3.checksum(payload))
    }

    /// The checksum's name in errors.
    private var checksumName: String { version == 1 ? "CRC-32" : "XXH3-64, low 32 bits" }

    /// The framed bytes of one record of a file of `version`.
    static func frame(kind: UInt8, payload: [UInt8], version: UInt32) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(recordMagic)
        writer.writeInteger(kind)
        writer.writeBytes([0, 0, 0])
        writer.writeInteger(UInt64(payload.count))
        writer.writeInteger(checksum(payload, version: version))
        writer.writeBytes(payload)
        return writer.bytes
    }

    /// The framed record for `payload` appended at `end` (the file's length
    /// by the time it is written), sealed in an encrypted store.
    func frame(kind: UInt8, payload: [UInt8], appendedAt end: UInt64) throws(TimelineError) -> [UInt8] {
        try sealer.frame(kind: kind, payload: payload, magic: magic, number: number, version: version, offset: end + UInt64(Self.recordHeaderSize))
    }

    /// Appends bytes at the end of the file. A write that fails part way
    /// (a full disk) takes back what it wrote, so no byte of it stays past
    /// the end for a later append or reader to meet.
    func append(_ bytes: [UInt8]) throws(TimelineError) {
        do { try file.write(bytes, at: length) } catch {
            try? file.truncate(to: length)
            throw error
        }
        length += UInt64(bytes.count)
    }

    /// Rereads the file's length: a reader's view of a file a writer
    /// appends to (a region of a package never changes).
    func reloadLength() {
        if let size = try? file.size() { length = size }
    }

    /// Makes appended bytes durable. The C function is `fdatasync`.
    func sync() throws(TimelineError) { try file.sync() }

    /// Cuts off bytes past `committed` left by an interrupted commit.
    func truncate(to committed: UInt64) throws(TimelineError) {
        guard committed < length else { return }
        try file.truncate(to: committed)
        length = committed
    }

    /// Reads `count` bytes at `offset`. The C function is `pread`.
    func read(at offset: UInt64, count: Int) throws(TimelineError) -> [UInt8] {
        try file.read(at: offset, count: count)
    }

    /// Reads the record whose payload starts at `offset` and checks its
    /// framing, length, kind and checksum.
    func readRecord(payloadAt offset: UInt64, length expected: UInt64, kind: UInt8) throws(TimelineError) -> [UInt8] {
        let (found, payload) = try readRecord(payloadAt: offset, length: expected)
        guard found == kind else {
            throw .file(path: path, .malformed(offset: Int(clamping: offset), reason: "expected a kind-\(kind) record, found kind \(found)"))
        }
        return payload
    }

    /// Reads `range` of the payload of the record whose payload starts at
    /// `offset` and holds `expected` bytes, after checking the header's
    /// framing, kind and length but not the payload's checksum: for a part
    /// that carries checksums of its own (a bridge's blocks), so that
    /// reading it does not read the whole record. `nil` in an encrypted
    /// file, whose payloads open only whole.
    func readUncheckedPart(ofPayloadAt offset: UInt64, length expected: UInt64, kind: UInt8, range: Range<UInt64>)
        throws(TimelineError) -> [UInt8]? {
        guard sealer.key == nil else { return nil }
        guard offset >= UInt64(Self.headerSize + Self.recordHeaderSize), expected <= Limits.maxBlockLength + 64,
            offset <= length, expected <= length - offset, range.upperBound <= expected
        else { throw .file(path: path, .malformed(offset: Int(clamping: offset), reason: "part \(range) of record \(offset)+\(expected) lies outside it or the file")) }
        let start = offset - UInt64(Self.recordHeaderSize)
        let (found, payloadLength, _) = try Self.parseHeader(try read(at: start, count: Self.recordHeaderSize), at: Int(clamping: start), path: path)
        guard found == kind, payloadLength == expected else {
            throw .file(path: path, .malformed(offset: Int(clamping: start), reason: "expected a kind-\(kind) record of \(expected) bytes, found kind \(found) of \(payloadLength)"))
        }
        return try read(at: offset + range.lowerBound, count: Int(range.count))
    }

    /// The kind byte of the record whose payload starts at `offset`, read
    /// from its header alone (not checked: whoever reads the payload next
    /// checks the whole record).
    func recordKind(payloadAt offset: UInt64) throws(TimelineError) -> UInt8 {
        guard offset >= UInt64(Self.headerSize + Self.recordHeaderSize), offset <= length else {
            throw .file(path: path, .malformed(offset: Int(clamping: offset), reason: "record at \(offset) lies outside the file"))
        }
        let start = offset - UInt64(Self.recordHeaderSize)
        return try Self.parseHeader(try read(at: start, count: Self.recordHeaderSize), at: Int(clamping: start), path: path).0
    }

    /// Reads the record whose payload starts at `offset`, whatever its kind.
    func readRecord(payloadAt offset: UInt64, length expected: UInt64) throws(TimelineError) -> (kind: UInt8, payload: [UInt8]) {
        guard offset >= UInt64(Self.headerSize + Self.recordHeaderSize), expected <= Limits.maxBlockLength + 64,
            offset <= length, expected <= length - offset
        else { throw .file(path: path, .malformed(offset: Int(clamping: offset), reason: "record \(offset)+\(expected) lies outside the file")) }
        let start = offset - UInt64(Self.recordHeaderSize)
        // Header and payload read apart: the payload lands in its own array, not copied out of a larger one.
        let header = try read(at: start, count: Self.recordHeaderSize)
        let (recordKind, payloadLength, crc) = try Self.parseHeader(header, at: Int(clamping: start), path: path)
        guard payloadLength == expected else {
            throw .file(path: path, .malformed(offset: Int(clamping: start), reason: "expected a record of \(expected) bytes, found \(payloadLength)"))
        }
        let payload = try read(at: offset, count: Int(expected))
        let actual = Self.checksum(payload, version: version)
        guard actual == crc else {
            throw .recordChecksumMismatch(path: path, offset: start, algorithm: checksumName, expected: crc, actual: actual)
        }
        return (recordKind, try sealer.open(payload, kind: recordKind, file: self, offset: offset))
    }

    /// The records from `start` up to the first one that is torn, fails its
    /// checksum or does not open, and where that intact run ends: what
    /// `recover` keeps of a damaged file. Nothing at or past `limit` (the
    /// file's length when `nil`) is read.
    func intactRecords(from start: UInt64, upTo limit: UInt64? = nil) -> (records: [(kind: UInt8, payload: [UInt8], start: UInt64, end: UInt64)], end: UInt64) {
        var result: [(kind: UInt8, payload: [UInt8], start: UInt64, end: UInt64)] = []
        var position = start
        let length = min(limit ?? self.length, self.length)
        while position <= length, length - position >= UInt64(Self.recordHeaderSize) {
            guard let header = try? read(at: position, count: Self.recordHeaderSize),
                let (kind, payloadLength, _) = try? Self.parseHeader(header, at: Int(clamping: position), path: path),
                payloadLength <= length - position - UInt64(Self.recordHeaderSize),
                let record = try? records(from: position, to: position + UInt64(Self.recordHeaderSize) + payloadLength).first
            else { break }
            result.append((kind, record.payload, position, record.offset + payloadLength))
            position = record.offset + payloadLength
        }
        return (result, position)
    }

    /// Every record between `start` and `end`, in order, checked.
    func records(from start: UInt64, to end: UInt64) throws(TimelineError) -> [(kind: UInt8, offset: UInt64, payload: [UInt8])] {
        guard end <= length else {
            throw .file(path: path, .truncated(needed: Int(clamping: end), available: Int(clamping: length), offset: 0))
        }
        var result: [(kind: UInt8, offset: UInt64, payload: [UInt8])] = []
        var position = start
        while position < end {
            guard end - position >= UInt64(Self.recordHeaderSize) else {
                throw .file(path: path, .truncated(needed: Self.recordHeaderSize, available: Int(clamping: end - position), offset: Int(clamping: position)))
            }
            let header = try read(at: position, count: Self.recordHeaderSize)
            let (kind, payloadLength, crc) = try Self.parseHeader(header, at: Int(clamping: position), path: path)
            let payloadStart = position + UInt64(Self.recordHeaderSize)
            guard payloadLength <= end - payloadStart else {
                throw .file(path: path, .truncated(needed: Int(clamping: payloadLength), available: Int(clamping: end - payloadStart), offset: Int(clamping: payloadStart)))
            }
            let payload = try read(at: payloadStart, count: Int(payloadLength))
            let actual = Self.checksum(payload, version: version)
            guard actual == crc else {
                throw .recordChecksumMismatch(path: path, offset: position, algorithm: checksumName, expected: crc, actual: actual)
            }
            result.append((kind, payloadStart, try sealer.open(payload, kind: kind, file: self, offset: payloadStart)))
            position = payloadStart + payloadLength
        }
        return result
    }

    private static func parseHeader(_ bytes: [UInt8], at offset: Int, path: String) throws(TimelineError) -> (UInt8, UInt64, UInt32) {
        guard Array(bytes[0..<4]) == recordMagic, bytes[5] == 0, bytes[6] == 0, bytes[7] == 0 else {
            throw .file(path: path, .malformed(offset: offset, reason: "not a record header"))
        }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        let crc = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 16, as: UInt32.self)) }
        return (bytes[4], length, crc)
    }
}

extension RecordFile {
    /// A store's file `name`, from the store's folder, or from its region
    /// when the store is read in place from a package (no folder).
    /// - Parameter storePath: the store's path, which errors name.
    static func open(_ name: String, folder: (any StoreFolder)?, regions: [String: StoreRegion]?, storePath: String, magic: [UInt8], number: UInt32,
                     writable: Bool, sealer: RecordSealer) throws(TimelineError) -> RecordFile {
        if let folder {
            return try RecordFile(folder: folder, name: name, magic: magic, number: number, writable: writable, create: false, sealer: sealer)
        }
        guard let region = regions?[name] else {
            throw .file(path: storePath + "/" + name, .io(operation: "missing store file", path: storePath + "/" + name, errno: 2))
        }
        return try RecordFile(region: region, path: storePath + "/" + name, magic: magic, number: number, sealer: sealer)
    }
}
