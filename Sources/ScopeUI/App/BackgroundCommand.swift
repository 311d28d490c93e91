import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A shell command the debugger runs while it stays responsive (`R`'s
/// resume): its standard output and error are read as they come, without
/// blocking, and its last line is kept for the status line. A class: it
/// owns a child process and a pipe.
final class BackgroundCommand {
    /// The command line, as `/bin/sh -c` runs it.
    let commandLine: String
    private let pid: pid_t
    private var output: Int32
    private var partial: [UInt8] = []
    /// The last complete line the command printed.
    private(set) var lastLine: String?
    /// How it ended: `nil` while it runs, else its exit status, or 128 plus
    /// the signal that ended it.
    private(set) var exitStatus: Int32?

    /// Starts `commandLine` with standard input from `/dev/null`. The C
    /// functions are `pipe`, `posix_spawn` and `fcntl`.
    /// - Throws: ``Failure`` when the pipe or the process cannot be made.
    init(_ commandLine: String) throws(Failure) {
        self.commandLine = commandLine
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw Failure("cannot make a pipe: \(String(cString: strerror(errno)))") }
        // Neither end leaks into other children; the dup2s below give the command its copies.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", commandLine].map { (text: String) in strdup(text) }
        defer { arguments.forEach { free($0) } }
        var argv = arguments + [nil]
        // Its own process group, so Esc stops the shell and whatever it started.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/sh", &actions, &attributes, &argv, environ)
        close(ends[1])
        guard spawned == 0 else {
            close(ends[0])
            throw Failure("cannot run /bin/sh: \(String(cString: strerror(spawned)))")
        }
        pid = child
        output = ends[0]
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
    }

    /// Why a command could not start.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Whether the command still runs.
    var isRunning: Bool { exitStatus == nil }

    /// Reads what the command printed since the last call and notices its
    /// end. Returns whether anything changed. The C function is `waitpid`.
    @discardableResult
    func poll() -> Bool {
        guard isRunning else { return false }
        // Whether it ended, asked first: everything an ended command wrote
        // is in the pipe by then, so the reads below take all of it. (Asked
        // after the reads, an end between the two lost the last line.)
        var status: Int32 = 0
        let ended = waitpid(pid, &status, WNOHANG) == pid
        var changed = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while output >= 0 {
            let count: Int
            do { count = try buffer.withUnsafeMutableBytes { try FileDescriptor(rawValue: output).read(into: $0) } } catch Errno.resourceTemporarilyUnavailable {
                break  // nothing more for now
            } catch {
                count = 0
            }
            if count > 0 {
                partial += buffer[0..<count]
                changed = true
            } else {
                // The end of the output (or an error reading it): the command's end is noticed below.
                close(output)
                output = -1
            }
        }
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: partial[..<newline], as: UTF8.self).trimmingTrailingControl
            if !line.isEmpty { lastLine = line }
            partial.removeSubrange(...newline)
        }
        if ended {
            if output >= 0 { close(output); output = -1 }
            if !partial.isEmpty { lastLine = String(decoding: partial, as: UTF8.self).trimmingTrailingControl; partial = [] }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = status & 0x7F
            exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            changed = true
        }
        return changed
    }

    /// Whether ``stop()`` asked it to stop.
    private(set) var wasStopped = false

    /// Asks the command to stop (SIGTERM to the shell and what it runs).
    func stop() {
        guard isRunning else { return }
        wasStopped = true
        kill(-pid, SIGTERM)
    }

    deinit {
        if isRunning {
            kill(-pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if output >= 0 { close(output) }
    }
}

extension String {
    /// Without trailing carriage returns and other control characters, and
    /// with control characters inside replaced by spaces, for one line of
    /// the screen.
    fileprivate var trimmingTrailingControl: String {
        var text = String(unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        while text.last == " " { text.removeLast() }
        return text
    }
}
