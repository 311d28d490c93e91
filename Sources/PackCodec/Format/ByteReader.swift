/// Reads little-endian integers, LEB128 varints, byte runs and strings
/// from borrowed bytes, every read checked: the one reader under the native
/// format, the store's records and every foreign format's reader (XS and
/// TKSN's records read through it; tx2-pack's bincode and MessagePack and
/// PECS keep an array and a position and take its bounds check,
/// ``bytes(in:advancing:count:)``), each naming what it was reading.
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

    /// Reads an unsigned LEB128 varint: 7 bits a byte, low groups first,
    /// at most 10 bytes, the tenth holding only the 64th bit.
    package mutating func readVarUInt64() throws(PackError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < range.upperBound else {
                offset = start
                throw .truncated(needed: 1, available: 0, offset: range.upperBound)
            }
            let byte = base[offset]
            offset += 1
            // The tenth byte holds bit 63 alone (so it ends the varint, too).
            if shift == 63, byte > 1 {
                offset = start
                throw .malformed(offset: start + 9, reason: "a varint longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
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

extension ByteReader {
    /// The range of the `count` bytes of `bytes` at `offset`, checked,
    /// and `offset` moved past them: the bounds check of readers that keep
    /// an array and a position of their own between reads (which then load
    /// the bytes in their own module, where the load is specialized).
    package static func bytes(in bytes: [UInt8], advancing offset: inout Int, count: Int) throws(PackError) -> Range<Int> {
        guard offset >= 0, offset <= bytes.count, count >= 0, count <= bytes.count - offset else {
            throw .truncated(needed: count, available: max(0, bytes.count - max(0, offset)), offset: offset)
        }
        defer { offset += count }
        return offset..<offset + count
    }
}
