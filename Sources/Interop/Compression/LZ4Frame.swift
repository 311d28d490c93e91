import CLZ4

/// LZ4 frames (not raw blocks) through liblz4's LZ4F API: what tx2-pack's
/// lz4 codec writes.
public enum LZ4Frame {
    /// Decodes a whole frame, refusing to produce more than `limit` bytes.
    public static func decode(_ input: [UInt8], limit: Int) throws(InteropError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw .malformed("lz4 could not start")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var position = 0
        var finished = false
        while !finished {
            var consumed = input.count - position
            var produced = chunk.count
            let hint = input.withUnsafeBytes { source in
                chunk.withUnsafeMutableBytes { target in
                    LZ4F_decompress(context, target.baseAddress, &produced, source.baseAddress.map { $0 + position }, &consumed, nil)
                }
            }
            if LZ4F_isError(hint) != 0 { throw .malformed("the lz4 frame is damaged: \(String(cString: LZ4F_getErrorName(hint)))") }
            position += consumed
            guard output.count + produced <= limit else { throw .malformed("the lz4 frame inflates to more than \(limit) bytes") }
            output.append(contentsOf: chunk[0..<produced])
            if hint == 0 { finished = true } else if consumed == 0 && produced == 0 { throw .malformed("the lz4 frame is cut short") }
        }
        return output
    }

    /// Encodes as tx2-pack does: linked 64 KiB blocks, a content checksum,
    /// no content size, level 4 (liblz4's HC compressor).
    public static func encode(_ input: [UInt8]) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockLinked
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.compressionLevel = 4
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in LZ4F_compressFrame(target.baseAddress, bound, source.baseAddress, source.count, &preferences) }
        }
        precondition(LZ4F_isError(written) == 0, "lz4 frame compression failed")
        return Array(output[0..<written])
    }
}
