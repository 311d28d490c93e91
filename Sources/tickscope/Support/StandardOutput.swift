#if canImport(Glibc)
import Glibc
#endif

/// Writes text to standard output, buffered; flushes on `flush()`.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        var done = 0
        while done < buffer.count {
            let count = buffer.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if count <= 0 { if errno == EINTR { continue }; break }
            done += count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether standard output is a terminal.
    static var isTerminal: Bool { isatty(1) != 0 }
}

/// Prints one line to standard error: notes that are not the command's output.
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
