import CZlib

/// CRC-32 (ISO-HDLC, the zlib/gzip polynomial) of stored block bytes,
/// computed by zlib. Detects every error burst of up to 32 bits, so every
/// single corrupted byte of a block.
package enum CRC32 {
    /// The CRC-32 of `bytes`. The corresponding C function is `crc32_z`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return UInt32(crc32_z(0, base.assumingMemoryBound(to: UInt8.self), bytes.count))
    }

    /// The CRC-32 of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
