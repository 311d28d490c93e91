import CXXHash

/// XXH3-64 (seed 0) of stored block bytes and of a table of contents,
/// computed by the system's libxxhash: the checksum of formats 2 and 3
/// (`docs/FORMAT.md`). It runs at memory speed, where zlib's CRC-32 took
/// a quarter of an uncompressed write. Like any 64-bit checksum it is for
/// accidents, not attackers (encrypted files have GCM tags for that).
package enum XXH3 {
    /// The XXH3-64 of `bytes`. The corresponding C function is `XXH3_64bits`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        #if arch(x86_64)
        UInt64(XXH3_64bits_dispatch(bytes.baseAddress, bytes.count))
        #else
        UInt64(XXH3_64bits(bytes.baseAddress, bytes.count))
        #endif
    }

    /// The XXH3-64 of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// How much of a block is hashed before the same bytes are read again
    /// (for statistics by `verify` and the writer, for a copy by the
    /// reader): well inside a core's cache.
    package static let chunkBytes = 64 << 10

    /// The XXH3-64 of `bytes`, hashed `chunkSize` bytes at a time, each
    /// chunk handed to `visit` right after it is hashed, while it is still
    /// in the cache: a second look at the same bytes (statistics, say)
    /// then costs no second trip through memory. Same value as
    /// ``checksum(_:)-(UnsafeRawBufferPointer)``.
    package static func checksum(
        _ bytes: UnsafeRawBufferPointer, chunkSize: Int, visit: (UnsafeRawBufferPointer) -> Void
    ) -> UInt64 {
        precondition(chunkSize > 0)
        guard let state = XXH3_createState() else {
            // Out of memory for 576 bytes of state: hash in one go instead.
            visit(bytes)
            return checksum(bytes)
        }
        defer { XXH3_freeState(state) }
        XXH3_64bits_reset(state)
        var start = 0
        repeat {
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + chunkSize)])
            #if arch(x86_64)
            XXH3_64bits_update_dispatch(state, chunk.baseAddress, chunk.count)
            #else
            XXH3_64bits_update(state, chunk.baseAddress, chunk.count)
            #endif
            visit(chunk)
            start += chunkSize
        } while start < bytes.count
        return UInt64(XXH3_64bits_digest(state))
    }
}
