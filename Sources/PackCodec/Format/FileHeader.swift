/// The 32 bytes at the start of a native snapshot file
/// (`docs/FORMAT.md`, "Header").
public struct FileHeader: Sendable, Equatable {
    /// `TSCPSNAP`.
    public static let magic: [UInt8] = Array("TSCPSNAP".utf8)
    /// The size of the header in bytes.
    public static let size = 32
    /// The minor version this code writes; readers accept any minor.
    public static let currentMinor: UInt16 = 0
    /// Flag bit 0: column blocks are AES-256-GCM encrypted.
    static let encryptedFlag: UInt32 = 1

    /// The format's major version.
    public var major: UInt16
    /// The format's minor version.
    public var minor: UInt16
    /// Whether the blocks are encrypted.
    public var isEncrypted: Bool
    /// The key check value (``EncryptionKey/checkValue``), or 16 zero bytes.
    public var keyCheck: [UInt8]

    /// The format version the major number names (checked when read).
    public var format: SnapshotFormat { SnapshotFormat(rawValue: major) ?? .current }

    /// The header's bytes.
    var bytes: [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(Self.magic)
        writer.writeInteger(major)
        writer.writeInteger(minor)
        writer.writeInteger(isEncrypted ? Self.encryptedFlag : 0)
        writer.writeBytes(keyCheck)
        return writer.bytes
    }

    /// Parses and checks a header: magic, a known major version, no unknown
    /// flags, a zero key check when unencrypted.
    static func read(from reader: inout ByteReader) throws(PackError) -> FileHeader {
        let start = reader.offset
        guard reader.remaining >= 8 else {
            throw .notASnapshot(found: Array(try reader.readBytes(reader.remaining)))
        }
        let magic = Array(try reader.readBytes(8))
        guard magic == Self.magic else { throw .notASnapshot(found: magic) }
        let major = try reader.readInteger(as: UInt16.self)
        let minor = try reader.readInteger(as: UInt16.self)
        guard major <= SnapshotFormat.allCases.last!.rawValue else { throw .newerVersion(major: major, minor: minor) }
        guard SnapshotFormat(rawValue: major) != nil else {
            throw .malformed(offset: start + 8, reason: "major version \(major) is not one this tickscope reads")
        }
        let flags = try reader.readInteger(as: UInt32.self)
        guard flags & ~encryptedFlag == 0 else {
            throw .malformed(offset: start + 12, reason: "unknown flags 0x\(String(flags, radix: 16))")
        }
        let keyCheck = Array(try reader.readBytes(16))
        let isEncrypted = flags & encryptedFlag != 0
        if !isEncrypted, keyCheck.contains(where: { $0 != 0 }) {
            throw .malformed(offset: start + 16, reason: "key check set on an unencrypted file")
        }
        return FileHeader(major: major, minor: minor, isEncrypted: isEncrypted, keyCheck: keyCheck)
    }
}
