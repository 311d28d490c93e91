/// The byte-shuffle filter: groups byte 0 of every value, then byte 1, and
/// so on, so that similar high bytes of floats and integers sit together and
/// compress well. Width 2, 4 or 8; the length is a multiple of the width.
///
/// Both directions make one sequential pass: each value is assembled from
/// (or split into) its bytes in the planes at once, so the compiler can
/// vectorise the loop. Writing one plane at a time with a stride touched
/// every cache line of the output once per byte of width, and was the
/// largest single cost of decoding a float column.
enum ByteShuffle {
    /// Shuffles `source` into `destination` (same length).
    static func shuffle(_ source: UnsafeRawBufferPointer, width: Int, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count / width
        guard count > 0 else { return }
        let input = source.baseAddress!
        let output = destination.baseAddress!.assumingMemoryBound(to: UInt8.self)
        switch width {
        case 2: split(input, count: count, into: output, as: UInt16.self)
        case 4: split(input, count: count, into: output, as: UInt32.self)
        case 8: split(input, count: count, into: output, as: UInt64.self)
        default:
            let bytes = input.assumingMemoryBound(to: UInt8.self)
            for byte in 0..<width {
                for index in 0..<count { output[byte * count + index] = bytes[index &* width &+ byte] }
            }
        }
    }

    /// Reverses ``shuffle(_:width:into:)``.
    static func unshuffle(_ source: UnsafeRawBufferPointer, width: Int, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count / width
        guard count > 0 else { return }
        let input = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let output = destination.baseAddress!
        switch width {
        case 2: join(input, count: count, into: output, as: UInt16.self)
        case 4: join(input, count: count, into: output, as: UInt32.self)
        case 8: join(input, count: count, into: output, as: UInt64.self)
        default:
            let bytes = output.assumingMemoryBound(to: UInt8.self)
            for byte in 0..<width {
                for index in 0..<count { bytes[index &* width &+ byte] = input[byte * count + index] }
            }
        }
    }

    /// Value `i` (little-endian) goes to byte `i` of each of the planes.
    @inline(__always)
    private static func split<T: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<UInt8>, as type: T.Type
    ) {
        let width = MemoryLayout<T>.size
        for byte in 0..<width {
            let plane = output + byte * count
            let shift = T(byte * 8)
            var index = 0
            while index < count {
                let value = T(littleEndian: input.loadUnaligned(fromByteOffset: index &* width, as: T.self))
                plane[index] = UInt8(truncatingIfNeeded: value &>> shift)
                index &+= 1
            }
        }
    }

    /// Value `i` is assembled from byte `i` of each plane, low byte first.
    @inline(__always)
    private static func join<T: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutableRawPointer, as type: T.Type
    ) {
        let width = MemoryLayout<T>.size
        var index = 0
        while index < count {
            var value: T = 0
            for byte in 0..<width {
                value |= T(input[byte &* count &+ index]) &<< T(byte &* 8)
            }
            output.storeBytes(of: value.littleEndian, toByteOffset: index &* width, as: T.self)
            index &+= 1
        }
    }
}
