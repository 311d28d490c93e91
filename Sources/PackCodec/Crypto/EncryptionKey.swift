#if canImport(Glibc)
import Glibc
#endif

/// A 256-bit AES key. Never printed: its description is redacted, and the
/// only thing derived from it that a file stores is a 16-byte check value.
public struct EncryptionKey: Sendable, Equatable, CustomStringConvertible {
    /// The key size in bytes.
    public static let size = 32
    private let bytes: [UInt8]

    /// Wraps 32 key bytes.
    /// - Throws: ``PackError/invalidKey(_:)`` when there are not exactly 32.
    public init(bytes: [UInt8]) throws(PackError) {
        guard bytes.count == Self.size else {
            throw .invalidKey("a key is \(Self.size) bytes, this one has \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A new key of 32 bytes from the secure random generator.
    public static func random() throws(PackError) -> EncryptionKey {
        try EncryptionKey(bytes: SecureRandom.bytes(size))
    }

    /// Reads a key file: exactly 32 raw bytes, readable by its owner only
    /// (as `tickscope key new` writes it).
    /// - Throws: ``PackError/io(operation:path:errno:)`` when it cannot be
    ///   read, ``PackError/invalidKey(_:)`` when it is not 32 bytes or is
    ///   readable by group or others.
    public init(contentsOfFile path: String) throws(PackError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw .io(operation: "cannot read key file", path: path, errno: errno) }
        guard status.st_mode & 0o077 == 0 else {
            throw .invalidKey("\(path) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        let contents = try FileInput.readAll(path: path, limit: 1024)
        guard contents.count == Self.size else {
            throw .invalidKey("\(path) holds \(contents.count) bytes; a key file holds exactly \(Self.size) raw bytes")
        }
        self.bytes = contents
    }

    /// Writes the key to a new file with mode 0600. Refuses to overwrite.
    public func write(toFile path: String) throws(PackError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(operation: "cannot create key file", path: path, errno: errno) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == Self.size, fsync(descriptor) == 0 else {
            let code = errno
            unlink(path)
            throw .io(operation: "cannot write key file", path: path, errno: code)
        }
    }

    /// A 16-byte value that identifies the key without revealing it: the
    /// first half of SHA-256("tickscope key check v1" ‖ key).
    public var checkValue: [UInt8] {
        let hasher = SHA256Hasher()
        hasher.update(Array("tickscope key check v1".utf8))
        hasher.update(bytes)
        return Array(hasher.finalize().prefix(16))
    }

    func withBytes<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    public var description: String { "EncryptionKey(redacted)" }
}
