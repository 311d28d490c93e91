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

/// Whether `path` is a directory.
func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
}
