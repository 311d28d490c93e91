#if canImport(Glibc)
import Glibc
#endif
import PackCodec

/// Reads a whole input file, or standard input for `-`.
func readInput(_ path: String) throws -> [UInt8] {
    path == "-"
        ? try FileInput.readAll(descriptor: 0, path: "standard input", limit: Int(Limits.maxBlockLength))
        : try FileInput.readAll(path: path, limit: Int(Limits.maxBlockLength))
}

/// The names in a folder (without `.` and `..`), sorted.
func directoryEntries(_ path: String) throws -> [String] {
    guard let directory = opendir(path) else { throw CommandFailure("\(path): cannot read the folder") }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != ".", name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Whether `path` is a directory.
func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
}
