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
        let count = destination.count / width
        var position = 0
        var previous: UInt64 = 0
        for index in 0..<count {
            var zigzag: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < source.count else { return "ran out of input at value \(index) of \(count)" }
                let byte = source[position]
                position += 1
                guard shift < 64, !(shift == 63 && byte > 1) else { return "varint longer than 64 bits at value \(index)" }
                zigzag |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            previous = previous &+ UInt64(bitPattern: delta)
            var little = previous.littleEndian
            withUnsafeBytes(of: &little) { bytes in
                UnsafeMutableRawBufferPointer(rebasing: destination[index * width..<(index + 1) * width])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<width]))
            }
        }
        guard position == source.count else { return "\(source.count - position) bytes left after \(count) values" }
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
