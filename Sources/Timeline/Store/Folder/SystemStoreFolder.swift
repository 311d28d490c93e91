import PackCodec
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A store folder on disk. Every file is reached with `openat` on the
/// folder's directory descriptor and `O_NOFOLLOW`, so a link planted in the
/// folder is refused instead of followed, and a file is used only after
/// `fstat` says it is a regular one. Reads, writes and resizes go through
/// swift-system, which retries on `EINTR`.
///
/// A class because it owns the directory descriptor.
final class SystemStoreFolder: StoreFolder {
    let path: String
    private let directory: FileDescriptor

    /// Opens the folder at `path`; with `create`, makes it first when it
    /// does not exist. The C functions are `mkdir` and `open`.
    init(path: String, create: Bool) throws(TimelineError) {
        self.path = path
        if create, mkdir(path, 0o755) != 0, errno != EEXIST {
            throw .file(path: path, .io(operation: "cannot create", path: path, errno: errno))
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notAStore(path: path) }
            throw .file(path: path, .io(operation: "cannot open", path: path, errno: errno))
        }
        directory = FileDescriptor(rawValue: descriptor)
    }

    deinit { try? directory.close() }

    func open(_ name: String, mode: StoreFileMode) throws(TimelineError) -> any StoreFileHandle {
        let file = pathOf(name)
        let access: Int32 = switch mode {
        case .read: O_RDONLY
        case .readWrite: O_RDWR
        case .createNew: O_RDWR | O_CREAT | O_EXCL
        }
        // O_NONBLOCK: opening a FIFO planted under a store file's name must not hang.
        let descriptor = openat(directory.rawValue, name, access | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP { throw .unexpectedEntry(path: file, found: "a symbolic link") }
            throw .file(path: file, .io(operation: mode == .createNew ? "cannot create" : "cannot open", path: file, errno: code))
        }
        let handle = SystemStoreFile(descriptor: FileDescriptor(rawValue: descriptor), path: file)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .file(path: file, .io(operation: "cannot stat", path: file, errno: errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unexpectedEntry(path: file, found: Self.describe(mode: status.st_mode)) }
        return handle
    }

    func entries() throws(TimelineError) -> [StoreFolderEntry] {
        let copy = dup(directory.rawValue)
        guard copy >= 0, let stream = fdopendir(copy) else {
            throw .file(path: path, .io(operation: "cannot list", path: path, errno: errno))
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [StoreFolderEntry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            var status = stat()
            guard fstatat(directory.rawValue, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue } // removed meanwhile
            let kind: StoreFolderEntry.Kind = switch status.st_mode & S_IFMT {
            case S_IFREG: .regularFile
            case S_IFDIR: .directory
            case S_IFLNK: .symbolicLink
            default: .other
            }
            result.append(StoreFolderEntry(name: name, kind: kind))
        }
        return result.sorted { $0.name < $1.name }
    }

    func read(_ name: String, limit: Int) throws(TimelineError) -> [UInt8]? {
        var status = stat()
        if fstatat(directory.rawValue, name, &status, AT_SYMLINK_NOFOLLOW) != 0 {
            if errno == ENOENT { return nil }
            throw .file(path: pathOf(name), .io(operation: "cannot stat", path: pathOf(name), errno: errno))
        }
        let file = try open(name, mode: .read)
        let size = try file.size()
        guard size <= UInt64(limit) else {
            throw .file(path: file.path, .sizeLimitExceeded(what: "the file", declared: size, limit: UInt64(limit)))
        }
        return try file.read(at: 0, count: Int(size))
    }

    func replace(_ name: String, with bytes: [UInt8]) throws(TimelineError) {
        let temporary = "\(name).tmp-\(getpid())"
        // A leftover of this pid's earlier life, or something planted: the entry goes, never what it points at.
        try remove(temporary)
        let file = try open(temporary, mode: .createNew)
        do {
            try file.write(bytes, at: 0)
            try file.sync()
        } catch {
            try? remove(temporary)
            throw error
        }
        guard renameat(directory.rawValue, temporary, directory.rawValue, name) == 0 else {
            let code = errno
            try? remove(temporary)
            throw .file(path: pathOf(name), .io(operation: "cannot rename onto", path: pathOf(name), errno: code))
        }
        try syncDirectory()
    }

    func remove(_ name: String) throws(TimelineError) {
        guard unlinkat(directory.rawValue, name, 0) == 0 || errno == ENOENT else {
            throw .file(path: pathOf(name), .io(operation: "cannot remove", path: pathOf(name), errno: errno))
        }
    }

    func rename(_ name: String, to newName: String) throws(TimelineError) {
        _ = try open(name, mode: .read) // a regular file, not a link
        var status = stat()
        guard fstatat(directory.rawValue, newName, &status, AT_SYMLINK_NOFOLLOW) != 0, errno == ENOENT else {
            throw .file(path: pathOf(newName), .io(operation: "cannot rename onto", path: pathOf(newName), errno: EEXIST))
        }
        guard renameat(directory.rawValue, name, directory.rawValue, newName) == 0 else {
            throw .file(path: pathOf(name), .io(operation: "cannot rename", path: pathOf(name), errno: errno))
        }
        try syncDirectory()
    }

    func syncDirectory() throws(TimelineError) {
        guard fsync(directory.rawValue) == 0 else { throw .file(path: path, .io(operation: "cannot sync the folder", path: path, errno: errno)) }
    }

    func lockWriter() throws(TimelineError) -> any StoreWriterLock {
        let lockPath = pathOf("LOCK")
        let descriptor = openat(directory.rawValue, "LOCK", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw .unexpectedEntry(path: lockPath, found: "a symbolic link") }
            throw .file(path: lockPath, .io(operation: "cannot open", path: lockPath, errno: errno))
        }
        let file = SystemStoreFile(descriptor: FileDescriptor(rawValue: descriptor), path: lockPath)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .file(path: lockPath, .io(operation: "cannot stat", path: lockPath, errno: errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unexpectedEntry(path: lockPath, found: Self.describe(mode: status.st_mode)) }
        // Only a short lock line is ever read, and only one that reads as such is repeated.
        let count = Int(min(UInt64(status.st_size), 256))
        let text = String(decoding: (try? file.read(at: 0, count: count)) ?? [], as: UTF8.self).trimmingNewline
        let previous = isLockLine(text) ? text : nil
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw .locked(path: path, holder: previous ?? "unknown process")
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        try file.truncate(to: 0)
        try file.write(Array("pid \(getpid()) on \(hostName)\n".utf8), at: 0)
        return SystemWriterLock(file: file, recoveredFrom: status.st_size > 0 ? (previous ?? "an unreadable lock file") : nil)
    }

    func withSideFileLock<T>(_ body: () throws(TimelineError) -> T) throws(TimelineError) -> T {
        // The folder's own descriptor carries the lock: no extra file, nothing to plant.
        let copy = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0 else { throw .file(path: path, .io(operation: "cannot open", path: path, errno: errno)) }
        defer { Glibc.close(copy) }
        guard flock(copy, LOCK_EX) == 0 else { throw .file(path: path, .io(operation: "cannot lock", path: path, errno: errno)) }
        defer { flock(copy, LOCK_UN) }
        return try body()
    }

    static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }
}

/// An open regular file of a store folder.
final class SystemStoreFile: StoreFileHandle {
    let path: String
    let descriptor: FileDescriptor

    init(descriptor: FileDescriptor, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { try? descriptor.close() }

    func size() throws(TimelineError) -> UInt64 {
        var status = stat()
        guard fstat(descriptor.rawValue, &status) == 0 else { throw .file(path: path, .io(operation: "cannot stat", path: path, errno: errno)) }
        return UInt64(status.st_size)
    }

    func read(at offset: UInt64, count: Int) throws(TimelineError) -> [UInt8] {
        // Nothing to read (an empty LOCK): no buffer, not even the shared empty one to write a count into.
        guard count > 0 else { return [] }
        // Not zero-filled first: a block of megabytes is written once, by the read.
        var failure: TimelineError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got: Int
                do {
                    got = try descriptor.read(fromAbsoluteOffset: Int64(offset) + Int64(done), into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[done...])))
                } catch {
                    failure = .file(path: path, .io(operation: "cannot read", path: path, errno: (error as? Errno)?.rawValue ?? EIO))
                    break
                }
                if got == 0 { failure = .file(path: path, .truncated(needed: count, available: done, offset: Int(offset))); break }
                done += got
            }
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return bytes
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(TimelineError) {
        do { try descriptor.writeAll(toAbsoluteOffset: Int64(offset), bytes) } catch {
            throw .file(path: path, .io(operation: "cannot write", path: path, errno: (error as? Errno)?.rawValue ?? EIO))
        }
    }

    /// The C function is `fdatasync`.
    func sync() throws(TimelineError) {
        guard fdatasync(descriptor.rawValue) == 0 else { throw .file(path: path, .io(operation: "cannot sync", path: path, errno: errno)) }
    }

    func truncate(to length: UInt64) throws(TimelineError) {
        do { try descriptor.resize(to: Int64(length)) } catch {
            throw .file(path: path, .io(operation: "cannot truncate", path: path, errno: (error as? Errno)?.rawValue ?? EIO))
        }
    }
}

/// The held `LOCK`: released (and emptied) when it goes away.
final class SystemWriterLock: StoreWriterLock {
    let recoveredFrom: String?
    private let file: SystemStoreFile

    init(file: SystemStoreFile, recoveredFrom: String?) {
        self.file = file
        self.recoveredFrom = recoveredFrom
    }

    deinit {
        try? file.truncate(to: 0)
        flock(file.descriptor.rawValue, LOCK_UN)
    }
}

/// A store file that is a region of another file (a bundled package's
/// entry): read-only, never grows.
final class RegionStoreFile: StoreFileHandle {
    let path: String
    private let container: SystemStoreFile
    private let region: StoreRegion

    /// Opens the region's container. The C function is `open`.
    init(region: StoreRegion, path: String) throws(TimelineError) {
        self.path = path
        self.region = region
        let descriptor = Glibc.open(region.container, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .file(path: region.container, .io(operation: "cannot open", path: region.container, errno: errno)) }
        container = SystemStoreFile(descriptor: FileDescriptor(rawValue: descriptor), path: region.container)
        let size = try container.size()
        guard region.offset <= size, region.length <= size - region.offset else {
            throw .file(path: path, .truncated(needed: Int(clamping: region.offset &+ region.length), available: Int(clamping: size), offset: Int(clamping: region.offset)))
        }
    }

    func size() throws(TimelineError) -> UInt64 { region.length }

    func read(at offset: UInt64, count: Int) throws(TimelineError) -> [UInt8] {
        guard offset <= region.length, UInt64(count) <= region.length - offset else {
            throw .file(path: path, .truncated(needed: Int(clamping: offset) + count, available: Int(clamping: region.length), offset: Int(clamping: offset)))
        }
        return try container.read(at: region.offset + offset, count: count)
    }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(TimelineError) { throw .invalidRequest("\(path): a bundled store is read-only") }
    func sync() throws(TimelineError) { throw .invalidRequest("\(path): a bundled store is read-only") }
    func truncate(to length: UInt64) throws(TimelineError) { throw .invalidRequest("\(path): a bundled store is read-only") }
}
