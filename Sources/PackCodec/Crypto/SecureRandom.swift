import COpenSSL

/// Cryptographically secure random bytes from OpenSSL.
public enum SecureRandom {
    /// `count` random bytes. The C function is `RAND_bytes`.
    /// - Throws: ``PackError/library(_:)`` when the generator is not seeded.
    public static func bytes(_ count: Int) throws(PackError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard status == 1 else { throw .library("OpenSSL could not produce random bytes") }
        return bytes
    }
}
