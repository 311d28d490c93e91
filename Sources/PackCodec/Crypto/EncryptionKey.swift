#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

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
        // The mode is read from the open file, so it is the mode of the very bytes read.
        let file = try FileInput.open(path)
        defer { try? file.close() }
        var status = stat()
        guard fstat(file.rawValue, &status) == 0 else { throw .io(operation: "cannot read key file", path: path, errno: errno) }
        guard status.st_mode & 0o077 == 0 else {
            throw .invalidKey("\(path) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        let contents = try FileInput.readAll(descriptor: file.rawValue, path: path, limit: 1024)
        guard contents.count == Self.size else {
            throw .invalidKey("\(path) holds \(contents.count) bytes; a key file holds exactly \(Self.size) raw bytes")
        }
        self.bytes = contents
    }

    /// Writes the key to a new file with mode 0600. Refuses to overwrite.
    public func write(toFile path: String) throws(PackError) {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                           permissions: [.ownerRead, .ownerWrite])
        } catch {
            throw .io(operation: "cannot create key file", path: path, errno: (error as? Errno)?.rawValue ?? Errno.ioError.rawValue)
        }
        defer { try? file.close() }
        do {
            // writeAll retries short and interrupted writes.
            _ = try bytes.withUnsafeBytes { try file.writeAll($0) }
            guard fsync(file.rawValue) == 0 else { throw Errno(rawValue: errno) }
        } catch {
            unlink(path)
            throw .io(operation: "cannot write key file", path: path, errno: (error as? Errno)?.rawValue ?? Errno.ioError.rawValue)
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
