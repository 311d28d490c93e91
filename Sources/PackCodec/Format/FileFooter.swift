/// The bytes at the end of a native snapshot file: where the table of
/// contents is, its checksum and (encrypted files) its authentication tag,
/// and a SHA-256 digest (`docs/FORMAT.md`, "Footer"). 88 bytes in format
/// 1, whose digest covers every byte before it; 96 in format 2, whose
/// digest covers the header and the table of contents (which holds every
/// block's XXH3-64).
public struct FileFooter: Sendable, Equatable {
    /// `TSCPEND` and a zero byte.
    static let endMagic: [UInt8] = Array("TSCPEND\0".utf8)

    /// The size of the footer in bytes.
    public static func size(_ format: SnapshotFormat) -> Int { format == .version1 ? 88 : 96 }

    /// Where the SHA-256 starts within the footer.
    static func digestOffset(_ format: SnapshotFormat) -> Int { format == .version1 ? 48 : 56 }

    /// The format the footer was read or is written in.
    public var format: SnapshotFormat
    /// The absolute offset of the table of contents.
    public var tableOfContentsOffset: UInt64
    /// The length of the table of contents in bytes.
    public var tableOfContentsLength: UInt64
    /// The checksum of the table of contents: CRC-32 (format 1) or
    /// XXH3-64 (format 2).
    public var tableOfContentsChecksum: UInt64
    /// AES-256-GCM nonce and tag authenticating header and table of contents
    /// (encrypted files), or 28 zero bytes.
    public var tableOfContentsSeal: [UInt8]
    /// The SHA-256 of every byte of the file before it (format 1), or of
    /// the header and the table of contents (format 2).
    public var digest: [UInt8]

    /// The footer's bytes before the digest (in format 1, what the digest
    /// covers last).
    var bytesBeforeDigest: [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(tableOfContentsOffset)
        writer.writeInteger(tableOfContentsLength)
        switch format {
        case .version1:
            writer.writeInteger(UInt32(truncatingIfNeeded: tableOfContentsChecksum))
            writer.writeBytes(tableOfContentsSeal)
        case .version2, .version3:
            writer.writeInteger(tableOfContentsChecksum)
            writer.writeBytes(tableOfContentsSeal)
            writer.writeInteger(UInt32(0))
        }
        return writer.bytes
    }

    /// Parses a footer of `format` that starts at the reader's offset.
    static func read(from reader: inout ByteReader, format: SnapshotFormat, isEncrypted: Bool) throws(PackError) -> FileFooter {
        let start = reader.offset
        let offset = try reader.readInteger(as: UInt64.self)
        let length = try reader.readInteger(as: UInt64.self)
        let checksum = format == .version1
            ? UInt64(try reader.readInteger(as: UInt32.self)) : try reader.readInteger(as: UInt64.self)
        let sealStart = reader.offset
        let seal = Array(try reader.readBytes(AESGCM.nonceSize + AESGCM.tagSize))
        if !isEncrypted, seal.contains(where: { $0 != 0 }) {
            throw .malformed(offset: sealStart, reason: "authentication tag set on an unencrypted file")
        }
        if format != .version1 {
            guard try reader.readInteger(as: UInt32.self) == 0 else {
                throw .malformed(offset: start + 52, reason: "reserved footer bytes are not zero")
            }
        }
        let digest = Array(try reader.readBytes(32))
        let magic = Array(try reader.readBytes(8))
        guard magic == endMagic else {
            throw .malformed(offset: reader.offset - 8, reason: "missing end marker: the file is truncated or has trailing bytes")
        }
        return FileFooter(
            format: format, tableOfContentsOffset: offset, tableOfContentsLength: length,
            tableOfContentsChecksum: checksum, tableOfContentsSeal: seal, digest: digest)
    }
}
