#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a whole file, read-only: memory-mapped for regular files,
/// copied into memory otherwise (pipes) or when given as an array.
/// A class because it owns the mapping, which `deinit` unmaps.
package final class MappedFile: @unchecked Sendable {
    // Sendable: the bytes are never written after init.
    package let bytes: UnsafeRawBufferPointer
    private let release: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Maps `path`. The C functions are `fstat` and `mmap`.
    package convenience init(path: String) throws(PackError) {
        let file = try FileInput.open(path)
        defer { try? file.close() }
        let descriptor = file.rawValue
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(operation: "cannot stat", path: path, errno: errno) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw .io(operation: "cannot read", path: path, errno: EISDIR) }
        if status.st_mode & S_IFMT == S_IFREG {
            let size = Int(status.st_size)
            if size == 0 {
                self.init(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: { _ in })
                return
            }
            guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
                throw .io(operation: "cannot map", path: path, errno: errno)
            }
            self.init(
                bytes: UnsafeRawBufferPointer(start: address, count: size),
                release: { munmap(UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) })
        } else {
            let contents = try FileInput.readAll(descriptor: descriptor, path: path, limit: Int(Limits.maxBlockLength))
            self.init(copying: contents)
        }
    }

    /// Copies `contents` into memory this object owns.
    convenience init(copying contents: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(contents.count, 1), alignment: 16)
        contents.withUnsafeBytes { buffer.copyMemory(from: $0) }
        let start = UnsafeRawPointer(buffer.baseAddress!)
        self.init(
            bytes: UnsafeRawBufferPointer(start: start, count: contents.count),
            release: { UnsafeMutableRawPointer(mutating: $0.baseAddress!).deallocate() })
    }

    private init(bytes: UnsafeRawBufferPointer, release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.bytes = bytes
        self.release = release
    }

    deinit { release(bytes) }
}
