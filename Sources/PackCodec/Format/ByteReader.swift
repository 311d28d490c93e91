/// Reads integers (either byte order), LEB128 varints, byte runs and
/// strings from borrowed bytes, every read checked: the one reader under the
/// native format, the store's records and every foreign format's reader
/// (tx2-pack's bincode and MessagePack, PECS, TKSN, XS), which wrap it to
/// name what they were reading.
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

    /// The order of an integer's bytes in the input.
    package enum ByteOrder: Sendable { case littleEndian, bigEndian }

    /// Reads an integer, little-endian unless told otherwise.
    package mutating func readInteger<T: FixedWidthInteger>(as _: T.Type = T.self, _ order: ByteOrder = .littleEndian) throws(PackError) -> T {
        let value: T = try integer(at: offset, order)
        offset += MemoryLayout<T>.size
        return value
    }

    /// The integer at absolute position `position` (within ``range``),
    /// without moving: for fields a format places at fixed offsets, such as
    /// a footer.
    package func integer<T: FixedWidthInteger>(at position: Int, as _: T.Type = T.self, _ order: ByteOrder = .littleEndian) throws(PackError) -> T {
        let size = MemoryLayout<T>.size
        guard position >= range.lowerBound, position <= range.upperBound, size <= range.upperBound - position else {
            throw .truncated(needed: size, available: max(0, range.upperBound - max(position, range.lowerBound)), offset: position)
        }
        let raw = base.loadUnaligned(fromByteOffset: position, as: T.self)
        return order == .littleEndian ? T(littleEndian: raw) : T(bigEndian: raw)
    }

    /// Reads an unsigned LEB128 varint: 7 bits a byte, low groups first,
    /// at most 10 bytes, the tenth holding only the 64th bit.
    package mutating func readVarUInt64() throws(PackError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        for index in 0..<10 {
            guard offset < range.upperBound else {
                offset = start
                throw .truncated(needed: 1, available: 0, offset: range.upperBound)
            }
            let byte = base[offset]
            offset += 1
            if index == 9, byte > 1 {
                offset = start
                throw .malformed(offset: start + 9, reason: "a varint longer than 64 bits")
            }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        offset = start
        throw .malformed(offset: start, reason: "a varint longer than 10 bytes")
    }

    /// Moves to absolute position `position` within ``range``.
    package mutating func seek(to position: Int) throws(PackError) {
        guard position >= range.lowerBound, position <= range.upperBound else {
            throw .truncated(needed: position - offset, available: remaining, offset: offset)
        }
        offset = position
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
