import CXXHash

/// XXH3-64 (seed 0) of stored block bytes and of a table of contents,
/// computed by the system's libxxhash: the checksum of format 2
/// (`docs/FORMAT.md`). It runs at memory speed, where zlib's CRC-32 took
/// a quarter of an uncompressed write. Like any 64-bit checksum it is for
/// accidents, not attackers (encrypted files have GCM tags for that).
package enum XXH3 {
    /// The XXH3-64 of `bytes`. The corresponding C function is `XXH3_64bits`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(XXH3_64bits(bytes.baseAddress, bytes.count))
    }

    /// The XXH3-64 of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
