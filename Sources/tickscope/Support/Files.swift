#if canImport(Glibc)
import Glibc
#endif
import PackCodec

/// Reads a whole input file, or standard input for `-`.
func readInput(_ path: String) throws -> [UInt8] {
    var contents: [UInt8] = []
    let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw PackError.io(operation: "cannot open", path: path, errno: errno) }
    defer { if descriptor != 0 { close(descriptor) } }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw PackError.io(operation: "cannot read", path: path, errno: errno)
        }
        if count == 0 { return contents }
        contents.append(contentsOf: chunk[0..<count])
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it
/// into place, so `path` never holds half a file.
func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw PackError.io(operation: "cannot create", path: temporary, errno: errno) }
    var done = 0
    while done < bytes.count {
        let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
        if count < 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw PackError.io(operation: "cannot write", path: temporary, errno: code)
        }
        done += count
    }
    fsync(descriptor)
    close(descriptor)
    guard rename(temporary, path) == 0 else {
        let code = errno
        unlink(temporary)
        throw PackError.io(operation: "cannot rename onto", path: path, errno: code)
    }
}

/// Whether `path` is a directory.
func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
}
