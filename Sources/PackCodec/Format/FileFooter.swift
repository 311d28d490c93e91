/// The 88 bytes at the end of a native snapshot file: where the table of
/// contents is, its checksum and (encrypted files) its authentication tag,
/// and the whole-file SHA-256 (`docs/FORMAT.md`, "Footer").
public struct FileFooter: Sendable, Equatable {
    /// `TSCPEND` and a zero byte.
    static let endMagic: [UInt8] = Array("TSCPEND\0".utf8)
    /// The size of the footer in bytes.
    public static let size = 88
    /// Where the SHA-256 starts within the footer; the hash covers every
    /// byte of the file before it.
    static let hashOffset = 48

    /// The absolute offset of the table of contents.
    public var tableOfContentsOffset: UInt64
    /// The length of the table of contents in bytes.
    public var tableOfContentsLength: UInt64
    /// The CRC-32 of the table of contents.
    public var tableOfContentsChecksum: UInt32
    /// AES-256-GCM nonce and tag authenticating header and table of contents
    /// (encrypted files), or 28 zero bytes.
    public var tableOfContentsSeal: [UInt8]
    /// The SHA-256 of every byte of the file before this field.
    public var fileHash: [UInt8]

    /// The footer's bytes before the hash (what the hash covers last).
    var bytesBeforeHash: [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(tableOfContentsOffset)
        writer.writeInteger(tableOfContentsLength)
        writer.writeInteger(tableOfContentsChecksum)
        writer.writeBytes(tableOfContentsSeal)
        return writer.bytes
    }

    /// Parses a footer that starts at the reader's offset.
    static func read(from reader: inout ByteReader, isEncrypted: Bool) throws(PackError) -> FileFooter {
        let start = reader.offset
        let offset = try reader.readInteger(as: UInt64.self)
        let length = try reader.readInteger(as: UInt64.self)
        let checksum = try reader.readInteger(as: UInt32.self)
        let seal = Array(try reader.readBytes(AESGCM.nonceSize + AESGCM.tagSize))
        if !isEncrypted, seal.contains(where: { $0 != 0 }) {
            throw .malformed(offset: start + 20, reason: "authentication tag set on an unencrypted file")
        }
        let hash = Array(try reader.readBytes(32))
        let magic = Array(try reader.readBytes(8))
        guard magic == endMagic else {
            throw .malformed(offset: start + 80, reason: "missing end marker: the file is truncated or has trailing bytes")
        }
        return FileFooter(
            tableOfContentsOffset: offset, tableOfContentsLength: length,
            tableOfContentsChecksum: checksum, tableOfContentsSeal: seal, fileHash: hash)
    }
}
