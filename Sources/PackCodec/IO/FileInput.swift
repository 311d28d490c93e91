#if canImport(Glibc)
import Glibc
#endif

/// Reading small files whole (key files, JSON Lines, non-regular inputs).
package enum FileInput {
    /// Reads all of `path`, refusing files longer than `limit` bytes.
    package static func readAll(path: String, limit: Int) throws(PackError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(operation: "cannot open", path: path, errno: errno) }
        defer { close(descriptor) }
        return try readAll(descriptor: descriptor, path: path, limit: limit)
    }

    /// Reads everything from `descriptor` until end of file.
    package static func readAll(descriptor: Int32, path: String, limit: Int) throws(PackError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "cannot read", path: path, errno: errno)
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
            guard contents.count <= limit else {
                throw .sizeLimitExceeded(what: path, declared: UInt64(contents.count), limit: UInt64(limit))
            }
        }
    }
}
