import CFileSpace
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Where a ``SnapshotWriter`` sends bytes, in order.
protocol ByteSink: AnyObject {
    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(PackError)
    /// Makes everything written durable and visible under its final name.
    func commit() throws(PackError)
    /// Says that at least `byteCount` bytes will be written in all, so a
    /// file can have its space allocated at once; a hint, never an error.
    func reserve(_ byteCount: Int)
}

extension ByteSink {
    func reserve(_ byteCount: Int) {}
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

/// Syncs the directory holding `path` (a file or folder just renamed
/// there), so the rename survives a crash.
package func syncDirectory(holding path: String) { FileSink.syncDirectory(of: path) }

/// Writes a file crash-safely: bytes go to a temporary file beside the
/// target (`TARGET.tmp-PID`); ``commit()`` syncs it, renames it over the
/// target and syncs the directory. A writer dropped without committing, or
/// whose commit failed, removes the temporary file, so a reader never sees
/// half a snapshot under the target name; temporary files of the same
/// target left by killed processes are removed by the next writer.
final class FileSink: ByteSink {
    let path: String
    private let temporaryPath: String
    private var descriptor: FileDescriptor?
    private var renamed = false
    private let durable: Bool

    /// Creates the temporary file.
    /// - Throws: when `path` exists and is not a regular file (a device, a
    ///   FIFO, a link, a directory): an output never replaces one.
    init(path: String, durable: Bool) throws(PackError) {
        self.path = path
        self.durable = durable
        temporaryPath = "\(path).tmp-\(getpid())"
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw .notARegularFile(path: path)
        }
        Self.removeLeftovers(of: path)
        // A leftover temporary file of this pid, or a link planted under its name: the entry goes, not its target.
        unlink(temporaryPath)
        do {
            descriptor = try FileDescriptor.open(
                FilePath(temporaryPath), .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw .io(operation: "cannot create", path: temporaryPath, errno: Self.number(of: error))
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(PackError) {
        guard let descriptor else { throw .io(operation: "cannot write", path: temporaryPath, errno: EBADF) }
        do { _ = try descriptor.writeAll(bytes) } catch let error as Errno {
            throw .io(operation: "cannot write", path: temporaryPath, errno: Self.number(of: error))
        } catch {
            throw .io(operation: "cannot write", path: temporaryPath, errno: EIO)
        }
    }

    /// Allocates the file's first `byteCount` bytes on disk in one step,
    /// without changing its size: the file system then finds the blocks
    /// once instead of page by page as the writes arrive (a 36 MB write
    /// takes about a quarter less time on ext4 here; `docs/PERFORMANCE.md`).
    /// A file system that cannot is simply written as before. The C
    /// function is `fallocate`, with `FALLOC_FL_KEEP_SIZE`.
    func reserve(_ byteCount: Int) {
        guard let descriptor, byteCount > 0 else { return }
        _ = fallocate(descriptor.rawValue, TICKSCOPE_FALLOC_FL_KEEP_SIZE, 0, off_t(byteCount))
    }

    /// Syncs, closes and renames the temporary file over the target. The C
    /// functions are `fsync`, `close` and `rename`.
    func commit() throws(PackError) {
        guard let descriptor else { throw .io(operation: "cannot close", path: temporaryPath, errno: EBADF) }
        if durable, fsync(descriptor.rawValue) != 0 { throw .io(operation: "cannot sync", path: temporaryPath, errno: errno) }
        self.descriptor = nil
        do { try descriptor.close() } catch { throw .io(operation: "cannot close", path: temporaryPath, errno: Self.number(of: error)) }
        guard rename(temporaryPath, path) == 0 else { throw .io(operation: "cannot rename onto", path: path, errno: errno) }
        renamed = true
        if durable { Self.syncDirectory(of: path) }
    }

    /// The errno of an error swift-system threw.
    private static func number(of error: any Error) -> Int32 { (error as? Errno)?.rawValue ?? EIO }

    deinit {
        try? descriptor?.close()
        if !renamed { unlink(temporaryPath) }
    }

    /// Removes `TARGET.tmp-PID` files beside `path` whose process is gone
    /// (a writer killed before its rename): regular files only, and only
    /// names of exactly that form.
    static func removeLeftovers(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".tmp-"
        guard let folder = opendir(directory.isEmpty ? "/" : directory) else { return }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let leftover = (directory.isEmpty ? "" : directory) + "/" + name
            var status = stat()
            if lstat(leftover, &status) == 0, status.st_mode & S_IFMT == S_IFREG { unlink(leftover) }
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
