@testable import PackCodec

/// Edits a valid snapshot file the way an attacker or a bad disk would,
/// then repairs what the edit should not be caught by (the table of
/// contents checksum), so a test reaches the check it means to exercise.
enum FileSurgery {
    /// The file's format, from its header's major version.
    static func format(_ bytes: [UInt8]) -> SnapshotFormat {
        SnapshotFormat(rawValue: UInt16(bytes[8]) | UInt16(bytes[9]) << 8)!
    }

    static func tableRange(_ bytes: [UInt8]) -> Range<Int> {
        let footer = bytes.count - FileFooter.size(format(bytes))
        let offset = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: footer, as: UInt64.self))) }
        return offset..<footer
    }

    /// Overwrites bytes at `offset` and recomputes the table-of-contents
    /// checksum (a CRC-32 in format 1, an XXH3-64 in formats 2 and 3).
    static func patch(_ bytes: [UInt8], at offset: Int, with new: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<offset + new.count, with: new)
        let table = tableRange(copy)
        let checksum = Array(copy[table]).withUnsafeBytes { format(copy).checksum($0).value }
        switch format(copy) {
        case .version1:
            copy.replaceSubrange(table.upperBound + 16..<table.upperBound + 20, with: littleEndian(UInt32(checksum)))
        case .version2, .version3:
            copy.replaceSubrange(table.upperBound + 16..<table.upperBound + 24, with: littleEndian(checksum))
        }
        return copy
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
