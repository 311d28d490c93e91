import CLZ4

/// lz4 block compression through the system liblz4. The block API stores
/// no length; the table of contents records it.
enum LZ4 {
    /// The largest input the block API takes (`LZ4_MAX_INPUT_SIZE`).
    static let maxInputSize = 0x7E00_0000

    /// Compresses `source` into `output` (replacing its contents).
    /// The C function is `LZ4_compress_default`.
    static func compress(_ source: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(PackError) {
        guard source.count <= maxInputSize else {
            throw .sizeLimitExceeded(what: "an lz4 block", declared: UInt64(source.count), limit: UInt64(maxInputSize))
        }
        let bound = Int(LZ4_compressBound(Int32(source.count)))
        output.resize(to: bound)
        if source.count == 0 { output.resize(to: 0); return }
        let written = output.withUnsafeMutableBytes { destination in
            LZ4_compress_default(
                source.baseAddress!.assumingMemoryBound(to: CChar.self),
                destination.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(source.count), Int32(bound))
        }
        guard written > 0 else { throw .library("lz4 compression failed") }
        output.resize(to: Int(written))
    }

    /// Decompresses a block that must expand to exactly `destination.count`
    /// bytes. The C function is `LZ4_decompress_safe`, which never writes
    /// past the destination.
    /// - Returns: `nil` on success, or the reason decoding failed.
    static func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> String? {
        guard source.count <= maxInputSize, destination.count <= maxInputSize else { return "block too large for lz4" }
        if destination.count == 0 { return source.count == 0 ? nil : "data after an empty block" }
        guard source.count > 0 else { return "empty input for \(destination.count) bytes" }
        let produced = LZ4_decompress_safe(
            source.baseAddress!.assumingMemoryBound(to: CChar.self),
            destination.baseAddress!.assumingMemoryBound(to: CChar.self),
            Int32(source.count), Int32(destination.count))
        if produced < 0 { return "corrupt lz4 block (error at input byte \(-produced))" }
        guard Int(produced) == destination.count else { return "produced \(produced) bytes, expected \(destination.count)" }
        return nil
    }

    /// The most bytes one stored byte can expand to (lz4's maximum ratio is
    /// about 255:1).
    static func maxDecodedLength(storedLength: Int) -> UInt64 {
        UInt64(storedLength) * 255 + 16
    }
}
