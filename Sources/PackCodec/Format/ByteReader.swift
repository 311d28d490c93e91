/// Reads little-endian values from borrowed bytes.
///
/// Model: `range.lowerBound <= offset <= range.upperBound`, where offsets are
/// absolute positions in the underlying buffer (for a file, positions in the
/// file), so errors point at the byte a person would look at. Every `read*`
/// advances `offset`. A read that needs more bytes than are left throws
/// ``PackError/truncated(needed:available:offset:)`` and leaves `offset`
/// unchanged.
///
/// The reader borrows the buffer: it must not outlive the memory it reads.
package struct ByteReader {
    private let base: UnsafeRawBufferPointer
    /// The part of the buffer this reader may read.
    package let range: Range<Int>
    /// The absolute position of the next read.
    package private(set) var offset: Int

    /// A reader over `range` of `base` (all of it by default).
    package init(_ base: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
        self.base = base
        self.range = range ?? 0..<base.count
        self.offset = self.range.lowerBound
    }

    /// Bytes left to read.
    package var remaining: Int { range.upperBound - offset }

    /// Whether every byte has been read.
    package var isAtEnd: Bool { offset == range.upperBound }

    private func check(_ count: Int) throws(PackError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(needed: count, available: remaining, offset: offset)
        }
    }

    /// Reads a little-endian integer.
    package mutating func readInteger<T: FixedWidthInteger>(as _: T.Type = T.self) throws(PackError) -> T {
        let size = MemoryLayout<T>.size
        try check(size)
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// Reads `count` bytes as a buffer view into the underlying memory.
    package mutating func readBytes(_ count: Int) throws(PackError) -> UnsafeRawBufferPointer {
        try check(count)
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<offset + count])
        offset += count
        return slice
    }

    /// Reads a length-prefixed (`u32`) UTF-8 string; invalid UTF-8 is malformed.
    package mutating func readString() throws(PackError) -> String {
        let start = offset
        let length = Int(try readInteger(as: UInt32.self))
        guard length <= remaining else {
            offset = start
            throw .truncated(needed: length, available: remaining, offset: start + 4)
        }
        let bytes = try readBytes(length)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            offset = start
            throw .malformed(offset: start + 4, reason: "string is not valid UTF-8")
        }
        return string
    }
}
