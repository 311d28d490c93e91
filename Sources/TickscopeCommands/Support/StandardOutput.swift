import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Writes text (or bytes) to standard output, buffered; flushes on
/// `flush()`. Writes go through swift-system, which retries on `EINTR` and
/// after short writes.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 16 { flush() }
    }

    /// Appends raw bytes (a snapshot file written to `-`).
    mutating func bytes(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count > 1 << 16 { flush() }
    }

    /// Writes what is buffered. A closed pipe or a full disk ends the
    /// output silently, as it does for every command line tool.
    mutating func flush() {
        _ = try? FileDescriptor.standardOutput.writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether standard output is a terminal.
    static var isTerminal: Bool { isatty(1) != 0 }
}

/// Prints one line to standard error: notes that are not the command's
/// output. A failed write to standard error has nowhere to be reported, so
/// it is dropped; swift-system retries short and interrupted writes.
func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = try? bytes.withUnsafeBytes { try FileDescriptor.standardError.writeAll($0) }
}
