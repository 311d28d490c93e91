import CZstd

/// zstd block compression through the system libzstd.
package enum Zstd {
    /// The levels the format accepts.
    static let levels: ClosedRange<Int> = 1...19

    /// Compresses `source` at `level` into `output` (replacing its contents),
    /// recording the content size in the frame header. The same input and
    /// level always give the same bytes. The C function is `ZSTD_compressCCtx`.
    package static func compress(
        _ source: UnsafeRawBufferPointer, level: Int, context: OpaquePointer, into output: inout [UInt8]
    ) throws(PackError) {
        let bound = ZSTD_compressBound(source.count)
        output.resize(to: bound)
        let written = output.withUnsafeMutableBytes { destination in
            ZSTD_compressCCtx(context, destination.baseAddress, bound, source.baseAddress, source.count, Int32(level))
        }
        if ZSTD_isError(written) != 0 {
            throw .library("zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.resize(to: written)
    }

    /// Decompresses one frame that must hold exactly `destination.count` bytes.
    /// The declared content size is checked before anything is written.
    /// The C functions are `ZSTD_getFrameContentSize` and `ZSTD_decompress`.
    /// - Returns: `nil` on success, or the reason decoding failed.
    package static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) -> String? {
        let declared = ZSTD_getFrameContentSize(source.baseAddress, source.count)
        if declared == ZSTD_CONTENTSIZE_ERROR { return "not a zstd frame" }
        if declared == ZSTD_CONTENTSIZE_UNKNOWN { return "frame does not declare its size" }
        guard declared == UInt64(destination.count) else {
            return "frame declares \(declared) bytes, the block \(destination.count)"
        }
        let produced = ZSTD_decompress(destination.baseAddress, destination.count, source.baseAddress, source.count)
        if ZSTD_isError(produced) != 0 { return String(cString: ZSTD_getErrorName(produced)) }
        guard produced == destination.count else { return "produced \(produced) bytes, expected \(destination.count)" }
        return nil
    }

    /// The content size a frame declares, or `nil` when it declares none or
    /// is not a frame. The C function is `ZSTD_getFrameContentSize`.
    package static func declaredSize(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        let declared = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        return declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN ? nil : declared
    }

    /// The most bytes one stored byte can expand to: a 128 KiB block can be
    /// a 4-byte RLE block, so 32,768 per byte plus one block of slack.
    static func maxDecodedLength(storedLength: Int) -> UInt64 {
        UInt64(storedLength) * 32_768 + 131_072
    }
}

/// A reusable zstd compression context (`ZSTD_CCtx`), freed with the object.
package final class ZstdCompressionContext {
    package let pointer: OpaquePointer

    package init() throws(PackError) {
        guard let context = ZSTD_createCCtx() else { throw .library("zstd: cannot create a compression context") }
        pointer = context
    }

    deinit { ZSTD_freeCCtx(pointer) }
}
