import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// The writer lock: an exclusive `flock` on `LOCK`, which holds the
/// holder's pid and host. The kernel releases it when the process dies, so
/// a lock left by a crashed writer is free; its stale text is reported.
final class StoreLock {
    private let descriptor: Int32
    /// Set when the previous holder's process is gone: what it said.
    let recoveredFrom: String?

    init(directory: String) throws(TimelineError) {
        let path = directory + "/LOCK"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .file(path: path, .io(operation: "cannot open", path: path, errno: errno)) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 256, 0) }
        let previous = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingNewline : ""
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path: directory, holder: previous.isEmpty ? "unknown process" : previous)
        }
        self.descriptor = descriptor
        recoveredFrom = previous.isEmpty ? nil : previous
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let hostName = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let text = Array("pid \(getpid()) on \(hostName)\n".utf8)
        ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension String {
    var trimmingNewline: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
