#if canImport(Glibc)
import Glibc
#endif

/// Where a ``SnapshotWriter`` sends bytes, in order.
protocol ByteSink: AnyObject {
    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(PackError)
    /// Makes everything written durable and visible under its final name.
    func commit() throws(PackError)
}

/// Collects bytes in memory.
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []
    func write(_ bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
    func commit() {}
}

/// Writes `bytes` to `path` crash-safely (see ``FileSink``): the file is
/// either the old one or completely the new one, whatever happens.
package func writeFileAtomically(_ bytes: [UInt8], to path: String, durable: Bool = true) throws(PackError) {
    let sink = try FileSink(path: path, durable: durable)
    try bytes.withBytes { (buffer) throws(PackError) in try sink.write(buffer) }
    try sink.commit()
}

/// Writes a file crash-safely: bytes go to a temporary file beside the
/// target; ``commit()`` syncs it, renames it over the target and syncs the
/// directory. A writer dropped without committing removes the temporary
/// file, so a reader never sees half a snapshot under the target name.
final class FileSink: ByteSink {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private let durable: Bool

    /// Creates the temporary file. The C function is `open`.
    /// - Throws: when `path` exists and is not a regular file (a device, a
    ///   FIFO, a link, a directory): an output never replaces one.
    init(path: String, durable: Bool) throws(PackError) {
        self.path = path
        self.durable = durable
        temporaryPath = "\(path).tmp-\(getpid())"
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            descriptor = -1
            throw .notARegularFile(path: path)
        }
        // A leftover temporary file of this pid, or a link planted under its name: the entry goes, not its target.
        unlink(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "cannot create", path: temporaryPath, errno: errno) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(PackError) {
        var done = 0
        while done < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "cannot write", path: temporaryPath, errno: errno)
            }
            done += count
        }
    }

    func commit() throws(PackError) {
        if durable, fsync(descriptor) != 0 { throw .io(operation: "cannot sync", path: temporaryPath, errno: errno) }
        guard close(descriptor) == 0 else { throw .io(operation: "cannot close", path: temporaryPath, errno: errno) }
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else { throw .io(operation: "cannot rename onto", path: path, errno: errno) }
        if durable { Self.syncDirectory(of: path) }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// Syncs the directory holding `path`, so the rename survives a crash.
    static func syncDirectory(of path: String) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let handle = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if handle >= 0 {
            fsync(handle)
            close(handle)
        }
    }
}
