import PackCodec

/// An XS package (`.xs`, the xs engine's asset packages; docs/FORMATS.md):
/// a metadata section in Cereal's binary archive (u64 entry count; per
/// entry a u64-length-prefixed UTF-8 path, u64 uncompressed size, u64 data
/// offset, u64 data length, a bool byte), then the data section. Later
/// engine versions start with the u64 magic `0x454E49474E455358`
/// ("XSENGINE" in a hex dump) and a u32 version. Entries are read by
/// offset from a memory map: opening a package reads its metadata only.
public struct XSPackage {
    /// One file in the package.
    public struct Entry: Equatable, Sendable {
        /// The path inside the package, like `[game]/text/utf8.txt`.
        public var path: String
        public var uncompressedSize: UInt64
        /// From the start of the data section.
        public var dataOffset: UInt64
        public var dataLength: UInt64
        /// zlib (RFC 1950) when set, stored as is otherwise.
        public var isCompressed: Bool
    }

    /// The u64 that starts the later layout.
    public static let magic: UInt64 = 0x454E_4947_4E45_5358
    /// More entries than any package has; a count above is damage.
    static let maxEntries: UInt64 = 1 << 24

    public let path: String
    /// The later layout's version, `nil` for the first layout (no magic).
    public let version: UInt32?
    public let entries: [Entry]
    /// Where the data section starts in the file.
    public let dataStart: UInt64
    private let file: MappedFile

    /// Opens a package and reads its metadata, checking every entry's
    /// place against the file's size.
    /// - Throws: ``InteropError`` naming what is wrong and where.
    public init(path: String) throws(InteropError) {
        do { file = try MappedFile(path: path) } catch { throw .io(error) }
        self.path = path
        let bytes = file.bytes
        // PackCodec's `ByteReader` over the mapped file: every read checked.
        var reader = ByteReader(bytes)
        var offset: Int { reader.offset }
        func u64() throws(InteropError) -> UInt64 {
            do { return try reader.readInteger(as: UInt64.self) } catch { throw .malformed("the metadata ends at offset \(reader.offset), inside a u64") }
        }
        var count = try u64()
        if count == Self.magic {
            do { version = try reader.readInteger(as: UInt32.self) } catch { throw .malformed("the file ends inside the version after the XSENGINE magic") }
            count = try u64()
        } else {
            version = nil
        }
        // An entry takes at least 33 bytes of metadata.
        guard count <= Self.maxEntries, count <= UInt64(bytes.count / 33) else {
            // The value is not shown: a file that is not XS at all (a key, say) would be printed.
            throw .malformed("not an XS package: neither the XSENGINE magic nor an entry count that fits in a file of \(bytes.count) bytes at offset \(offset - 8)")
        }
        var entries: [Entry] = []
        for index in 0..<Int(count) {
            let start = offset
            let length = try u64()
            guard length <= UInt64(reader.remaining) else { throw .malformed("entry \(index): a path of \(length) bytes at offset \(start) runs past the end") }
            let raw: UnsafeRawBufferPointer
            do { raw = try reader.readBytes(Int(length)) } catch { throw .malformed("entry \(index): a path of \(length) bytes at offset \(start) runs past the end") }
            guard let name = String(validating: raw, as: UTF8.self) else { throw .malformed("entry \(index): the path at offset \(start) is not UTF-8") }
            let size = try u64(), dataOffset = try u64(), dataLength = try u64()
            let flagAt = offset
            let flag: UInt8
            do { flag = try reader.readInteger(as: UInt8.self) } catch { throw .malformed("entry \(index): no compressed flag (0 or 1) at offset \(flagAt)") }
            guard flag <= 1 else { throw .malformed("entry \(index): no compressed flag (0 or 1) at offset \(flagAt)") }
            entries.append(Entry(path: name, uncompressedSize: size, dataOffset: dataOffset, dataLength: dataLength, isCompressed: flag == 1))
        }
        dataStart = UInt64(offset)
        let dataSize = UInt64(bytes.count) - dataStart
        for entry in entries where entry.dataOffset > dataSize || entry.dataLength > dataSize - entry.dataOffset {
            throw .malformed("\(entry.path): its data (\(entry.dataLength) bytes at \(entry.dataOffset)) lies outside the \(dataSize)-byte data section")
        }
        for entry in entries where !entry.isCompressed && entry.dataLength != entry.uncompressedSize {
            throw .malformed("\(entry.path): stored uncompressed, yet \(entry.dataLength) bytes long for a size of \(entry.uncompressedSize)")
        }
        self.entries = entries
    }

    /// An entry's contents, inflated when compressed (never beyond its
    /// declared size, which must then match).
    public func contents(of entry: Entry) throws(InteropError) -> [UInt8] {
        var contents: [UInt8] = []
        contents.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 20)))
        try streamContents(of: entry) { piece in contents.append(contentsOf: piece) }
        return contents
    }

    /// Hands an entry's contents to `consume` piece by piece (stored bytes
    /// in one piece, a compressed entry inflated 64 KiB at a time), so an
    /// entry is never held whole in memory, whatever size it declares;
    /// checks that it inflates to exactly its declared size.
    public func streamContents(of entry: Entry, into consume: (UnsafeRawBufferPointer) throws(InteropError) -> Void) throws(InteropError) {
        let start = Int(dataStart + entry.dataOffset)
        let stored = UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + Int(entry.dataLength)])
        guard entry.isCompressed else { return try consume(stored) }
        guard entry.uncompressedSize <= UInt64(Int.max / 2) else { throw .malformed("\(entry.path): a size of \(entry.uncompressedSize) bytes") }
        let produced: Int
        do {
            produced = try Zlib.inflate(stored, wrapper: .zlib, limit: Int(entry.uncompressedSize)) { (piece) throws(InteropError) in
                try consume(piece)
                return true
            }
        } catch .malformed(let reason) { throw .malformed("\(entry.path): \(reason)") }
        guard produced == Int(entry.uncompressedSize) else {
            throw .malformed("\(entry.path): inflates to \(produced) bytes, not the declared \(entry.uncompressedSize)")
        }
    }

    /// The entry at `path`, if any.
    public func entry(_ path: String) -> Entry? { entries.first { $0.path == path } }

    /// Why `path` may not be extracted (`..`, absolute, empty, a backslash or
    /// NUL), or `nil` when it is safe: nothing may be written outside the
    /// target folder.
    public static func unsafeReason(_ path: String) -> String? {
        if path.isEmpty { return "an empty path" }
        if path.hasPrefix("/") { return "an absolute path" }
        if path.contains("\\") || path.contains("\0") { return "a backslash or NUL in the path" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." }) { return "a .. in the path" }
        if parts.contains(where: { $0.isEmpty || $0 == "." }) { return "an empty or . component" }
        return nil
    }

    /// A package of `files` (path, contents, whether to zlib them), in that
    /// order, contiguous, in the first layout unless `version` is given.
    public static func encode(_ files: [(path: String, contents: [UInt8], compress: Bool)], version: UInt32? = nil) -> [UInt8] {
        var metadata: [UInt8] = []
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { metadata.append(contentsOf: $0) } }
        if let version {
            u64(magic)
            withUnsafeBytes(of: version.littleEndian) { metadata.append(contentsOf: $0) }
        }
        u64(UInt64(files.count))
        var data: [UInt8] = []
        for file in files {
            let stored = file.compress ? Zlib.deflate(file.contents, wrapper: .zlib) : file.contents
            u64(UInt64(file.path.utf8.count))
            metadata.append(contentsOf: file.path.utf8)
            u64(UInt64(file.contents.count))
            u64(UInt64(data.count))
            u64(UInt64(stored.count))
            metadata.append(file.compress ? 1 : 0)
            data.append(contentsOf: stored)
        }
        return metadata + data
    }
}
