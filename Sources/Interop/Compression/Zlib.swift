import CZlib
import PackCodec

/// zlib (RFC 1950) and gzip (RFC 1952) streams through the system zlib:
/// what TKSN files and XS entries are compressed with.
public enum Zlib {
    /// The wrapper around the deflate data.
    public enum Wrapper: Sendable { case zlib, gzip }

    /// Inflates a whole stream, refusing to produce more than `limit` bytes;
    /// with `prefix`, stops as soon as that many bytes are out (for telling
    /// a format by its first bytes without inflating the rest).
    /// - Throws: ``InteropError/malformed(_:)`` naming what is wrong.
    public static func inflate(_ input: [UInt8], wrapper: Wrapper, limit: Int, prefix: Int? = nil) throws(InteropError) -> [UInt8] {
        var output: [UInt8] = []
        let result = input.withUnsafeBytes { source in
            Result { () throws(InteropError) in
                try inflate(source, wrapper: wrapper, limit: limit) { piece in
                    output.append(contentsOf: piece)
                    return prefix.map { output.count < $0 } ?? true
                }
            }
        }
        _ = try result.get()
        return output
    }

    /// Inflates a stream piece by piece, handing each piece of at most
    /// 64 KiB to `consume` (which returns `false` to stop early), so memory
    /// stays bounded whatever the stream inflates to; refuses to produce
    /// more than `limit` bytes in all.
    /// - Returns: how many bytes were produced.
    /// - Throws: ``InteropError/malformed(_:)`` naming what is wrong, or
    ///   what `consume` threw.
    @discardableResult
    public static func inflate(
        _ input: UnsafeRawBufferPointer, wrapper: Wrapper, limit: Int,
        into consume: (UnsafeRawBufferPointer) throws(InteropError) -> Bool
    ) throws(InteropError) -> Int {
        var stream = z_stream()
        let bits: Int32 = wrapper == .gzip ? 31 : 15
        guard inflateInit2_(&stream, bits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .malformed("zlib could not start") }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var total = 0
        // zlib's next_in is not const; it only reads through it.
        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
        stream.avail_in = UInt32(input.count)
        guard input.count <= Int(UInt32.max) else { throw .malformed("a compressed stream of \(input.count) bytes is larger than zlib takes at once") }
        while status != Z_STREAM_END {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return target.count - Int(stream.avail_out)
            }
            guard status == Z_OK || status == Z_STREAM_END else {
                throw .malformed(status == Z_BUF_ERROR ? "the compressed stream is cut short" : "the compressed data is damaged (zlib error \(status))")
            }
            guard total + produced <= limit else { throw .malformed("the data inflates to more than \(limit) bytes") }
            total += produced
            let goOn = chunk.withUnsafeBytes { bytes in
                Result { () throws(InteropError) in try consume(UnsafeRawBufferPointer(rebasing: bytes[0..<produced])) }
            }
            if try !goOn.get() { return total }
            if produced == 0, stream.avail_in == 0, status != Z_STREAM_END { throw .malformed("the compressed stream is cut short") }
        }
        return total
    }

    /// Deflates `input` at zlib's default level.
    public static func deflate(_ input: [UInt8], wrapper: Wrapper) -> [UInt8] {
        var stream = z_stream()
        let bits: Int32 = wrapper == .gzip ? 31 : 15
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            preconditionFailure("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        var copy = input
        let written: Int = copy.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                let status = CZlib.deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate did not finish")
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
