@testable import PackCodec

/// Edits a valid snapshot file the way an attacker or a bad disk would,
/// then repairs what the edit should not be caught by (the table of
/// contents CRC), so a test reaches the check it means to exercise.
enum FileSurgery {
    static func tableRange(_ bytes: [UInt8]) -> Range<Int> {
        let footer = bytes.count - FileFooter.size
        let offset = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: footer, as: UInt64.self))) }
        return offset..<footer
    }

    /// Overwrites bytes at `offset` and recomputes the table-of-contents CRC.
    static func patch(_ bytes: [UInt8], at offset: Int, with new: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<offset + new.count, with: new)
        let table = tableRange(copy)
        let crc = CRC32.checksum(Array(copy[table]))
        withUnsafeBytes(of: crc.littleEndian) { copy.replaceSubrange(table.upperBound + 16..<table.upperBound + 20, with: $0) }
        return copy
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
