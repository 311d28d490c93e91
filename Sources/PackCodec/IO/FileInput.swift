import SystemPackage

/// Reading small files whole (key files, JSON Lines, non-regular inputs),
/// through swift-system, which retries reads interrupted by a signal.
package enum FileInput {
    /// Reads all of `path`, refusing files longer than `limit` bytes.
    package static func readAll(path: String, limit: Int) throws(PackError) -> [UInt8] {
        let descriptor = try open(path)
        defer { try? descriptor.close() }
        return try readAll(descriptor: descriptor.rawValue, path: path, limit: limit)
    }

    /// Opens `path` read-only (close-on-exec).
    package static func open(_ path: String) throws(PackError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch let error as Errno {
            throw .io(operation: "cannot open", path: path, errno: error.rawValue)
        } catch {
            throw .io(operation: "cannot open", path: path, errno: Errno.ioError.rawValue)
        }
    }

    /// Reads everything from `descriptor` until end of file.
    package static func readAll(descriptor: Int32, path: String, limit: Int) throws(PackError) -> [UInt8] {
        let file = FileDescriptor(rawValue: descriptor)
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }
            } catch let error as Errno {
                throw .io(operation: "cannot read", path: path, errno: error.rawValue)
            } catch {
                throw .io(operation: "cannot read", path: path, errno: Errno.ioError.rawValue)
            }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
            guard contents.count <= limit else {
                throw .sizeLimitExceeded(what: path, declared: UInt64(contents.count), limit: UInt64(limit))
            }
        }
    }
}
