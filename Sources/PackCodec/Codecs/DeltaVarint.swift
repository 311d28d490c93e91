/// The delta + zig-zag varint filter for integer columns such as entity ids
/// and ticks: each value minus the previous one (the first minus zero),
/// computed on the value widened to 64 bits (sign-extended for signed
/// types) with wrapping arithmetic, zig-zag mapped to unsigned, then written
/// as an unsigned LEB128 varint (7 bits a byte, low groups first, high bit
/// set on every byte but the last). Sequential ids cost one byte each.
enum DeltaVarint {
    /// The longest varint of a 64-bit value.
    static let maxVarintLength = 10

    /// Encodes `source`, values of `width` bytes, replacing the contents of `output`.
    static func encode(_ source: UnsafeRawBufferPointer, width: Int, signed: Bool, into output: inout [UInt8]) {
        let count = source.count / width
        output.resize(to: encodedLength(source, width: width, signed: signed))
        var previous: UInt64 = 0
        let written = output.withUnsafeMutableBufferPointer { out -> Int in
            var position = 0
            for index in 0..<count {
                let value = widen(source, index: index, width: width, signed: signed)
                let delta = Int64(bitPattern: value &- previous)
                previous = value
                var zigzag = UInt64(bitPattern: (delta << 1) ^ (delta >> 63))
                while zigzag >= 0x80 {
                    out[position] = UInt8(truncatingIfNeeded: zigzag) | 0x80
                    position &+= 1
                    zigzag >>= 7
                }
                out[position] = UInt8(zigzag)
                position &+= 1
            }
            return position
        }
        output.resize(to: written)
    }

    /// The exact encoded size, so the output is allocated once at its final
    /// size instead of at the 10-bytes-a-value worst case.
    static func encodedLength(_ source: UnsafeRawBufferPointer, width: Int, signed: Bool) -> Int {
        var previous: UInt64 = 0
        var total = 0
        for index in 0..<(source.count / width) {
            let value = widen(source, index: index, width: width, signed: signed)
            let delta = Int64(bitPattern: value &- previous)
            previous = value
            let zigzag = UInt64(bitPattern: (delta << 1) ^ (delta >> 63))
            // ceil(significant bits / 7), at least one byte.
            total &+= max(1, (64 &- zigzag.leadingZeroBitCount &+ 6) / 7)
        }
        return total
    }

    /// Decodes exactly `destination.count / width` values; the input must be
    /// used up exactly.
    /// - Returns: `nil` on success, or the reason decoding failed.
    static func decode(_ source: UnsafeRawBufferPointer, width: Int, into destination: UnsafeMutableRawBufferPointer) -> String? {
        switch width {
        case 8: decode(source, count: destination.count / 8, into: destination, as: UInt64.self)
        case 4: decode(source, count: destination.count / 4, into: destination, as: UInt32.self)
        case 2: decode(source, count: destination.count / 2, into: destination, as: UInt16.self)
        case 1: decode(source, count: destination.count, into: destination, as: UInt8.self)
        default: "delta-varint of \(width)-byte values"
        }
    }

    /// The decoding loop for one width: a one-byte varint (a small step, the
    /// usual case for sorted ids and rows) takes no inner loop, and each
    /// value is stored as one word.
    @inline(__always)
    private static func decode<Word: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutableRawBufferPointer, as: Word.Type
    ) -> String? {
        let end = source.count
        guard count > 0, end > 0 else {
            if count > 0 { return "ran out of input at value 0 of \(count)" }
            return end == 0 ? nil : "\(end) bytes left after 0 values"
        }
        let input = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var position = 0
        var previous: UInt64 = 0
        for index in 0..<count {
            guard position < end else { return "ran out of input at value \(index) of \(count)" }
            var byte = input[position]
            position &+= 1
            var zigzag = UInt64(byte & 0x7F)
            if byte & 0x80 != 0 {
                var shift: UInt64 = 7
                repeat {
                    guard position < end else { return "ran out of input at value \(index) of \(count)" }
                    byte = input[position]
                    position &+= 1
                    guard shift < 64, !(shift == 63 && byte > 1) else { return "varint longer than 64 bits at value \(index)" }
                    zigzag |= UInt64(byte & 0x7F) << shift
                    shift &+= 7
                } while byte & 0x80 != 0
            }
            let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            previous = previous &+ UInt64(bitPattern: delta)
            destination.storeBytes(of: Word(truncatingIfNeeded: previous).littleEndian, toByteOffset: index &* MemoryLayout<Word>.size, as: Word.self)
        }
        guard position == end else { return "\(end - position) bytes left after \(count) values" }
        return nil
    }

    private static func widen(_ source: UnsafeRawBufferPointer, index: Int, width: Int, signed: Bool) -> UInt64 {
        let offset = index * width
        switch (width, signed) {
        case (1, false): return UInt64(source[offset])
        case (1, true): return UInt64(bitPattern: Int64(Int8(bitPattern: source[offset])))
        case (2, false): return UInt64(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case (2, true): return UInt64(bitPattern: Int64(Int16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: Int16.self))))
        case (4, false): return UInt64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case (4, true): return UInt64(bitPattern: Int64(Int32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: Int32.self))))
        default: return UInt64(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
    }
}
