/// The byte-shuffle filter: groups byte 0 of every value, then byte 1, and
/// so on, so that similar high bytes of floats and integers sit together and
/// compress well. Width 2, 4 or 8; the length is a multiple of the width.
enum ByteShuffle {
    /// Shuffles `source` into `destination` (same length).
    static func shuffle(_ source: UnsafeRawBufferPointer, width: Int, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count / width
        guard count > 0 else { return }
        let input = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let output = destination.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for byte in 0..<width {
            let plane = output + byte * count
            var index = 0
            while index < count {
                plane[index] = input[index &* width &+ byte]
                index &+= 1
            }
        }
    }

    /// Reverses ``shuffle(_:width:into:)``.
    static func unshuffle(_ source: UnsafeRawBufferPointer, width: Int, into destination: UnsafeMutableRawBufferPointer) {
        let count = source.count / width
        guard count > 0 else { return }
        let input = source.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let output = destination.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for byte in 0..<width {
            let plane = input + byte * count
            var index = 0
            while index < count {
                output[index &* width &+ byte] = plane[index]
                index &+= 1
            }
        }
    }
}
