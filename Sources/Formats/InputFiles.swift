#if canImport(Glibc)
import Glibc
#endif
import PackCodec

/// Reading the files and folders a user names.
public enum InputFiles {
    /// A whole input file, or standard input for `-` (at most the largest
    /// block a snapshot may hold).
    public static func read(_ path: String) throws -> [UInt8] {
        path == "-"
            ? try FileInput.readAll(descriptor: 0, path: "standard input", limit: Int(Limits.maxBlockLength))
            : try FileInput.readAll(path: path, limit: Int(Limits.maxBlockLength))
    }

    /// The names in a folder (without `.` and `..`), sorted.
    public static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw FormatError("\(path): cannot read the folder") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `first` and `second` name one existing file, through links
    /// and other spellings of its path (`a.tscp`, `./a.tscp`, a symbolic
    /// link to it): what a command that writes `second` from `first` asks
    /// before it replaces its own input. `-` is standard input or output,
    /// never a file.
    public static func isSameFile(_ first: String, _ second: String) -> Bool {
        guard first != "-", second != "-" else { return false }
        var a = stat(), b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}

/// A directory under $TMPDIR (or /tmp) removed with its files when dropped.
public final class TemporaryDirectory {
    /// The directory.
    public let path: String

    /// Makes a new, empty directory.
    public init() throws {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/tickscope-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw PackError.io(operation: "cannot create a temporary directory in", path: base, errno: errno)
        }
        path = String(cString: made)
    }

    deinit { Self.remove(path) }

    /// Removes a directory tree (the benchmark's store has files in a subdirectory).
    private static func remove(_ path: String) {
        for name in (try? InputFiles.entries(of: path)) ?? [] {
            let child = path + "/" + name
            if unlink(child) != 0 { remove(child) }
        }
        rmdir(path)
    }
}
