import Foundation
import Testing

/// The real ncurses path: tickscope runs in a detached tmux session with a
/// private server; keys go in with send-keys, the screen comes back with
/// capture-pane.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed: the ncurses end-to-end test is skipped"))
struct TerminalTests {
    @Test("tickscope opens the sample, steps, shows help, runs a command, inspects, survives a resize to 40x10 and back, and quits")
    func endToEnd() throws {
        let tmux = TmuxSession(name: "tickscope-test-\(getpid())")
        defer { tmux.kill() }
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleWorlds/ecosystem").path
        // The debugger opens its own copy of a sample, here in a scratch folder.
        let state = try Scratch()
        try tmux.start("XDG_STATE_HOME='\(state.path)' '\(TickscopeProcess.binary.path)' open '\(sample)'", width: 100, height: 30)
        #expect(tmux.waitFor("c1 tick 0"), "first screen: \(tmux.capture())")
        #expect(tmux.capture().contains("your own copy of the ecosystem sample, made now"), "\(tmux.capture())")
        #expect(FileManager.default.fileExists(atPath: state.file("tickscope/samples/ecosystem/MANIFEST")))
        tmux.send("l")
        #expect(tmux.waitFor("c2 tick 1"), "after l: \(tmux.capture())")
        tmux.send("?")
        #expect(tmux.waitFor("any other key closes"))
        tmux.send("x")
        // The command line, another archetype, the inspector.
        tmux.send(":100")
        tmux.send("Enter")
        #expect(tmux.waitFor("c101 tick 100"), "after :100: \(tmux.capture())")
        tmux.send("a")
        tmux.send("i")
        #expect(tmux.waitFor(" Position.x over time "), "the inspector: \(tmux.capture())")
        tmux.send("h")
        #expect(tmux.waitFor("c100 tick 99"), "after h: \(tmux.capture())")
        tmux.resize(width: 40, height: 10)
        #expect(tmux.waitFor("tickscope"), "at 40x10: \(tmux.capture())")
        tmux.resize(width: 100, height: 30)
        #expect(tmux.waitFor("[100/201]"), "back at 100x30: \(tmux.capture())")
        tmux.send("q")
        #expect(tmux.waitForExit(), "q quits")
    }
}

extension TerminalTests {
    @Test("the ecosystem loop inside the debugger: find the bug, fork with a fix, R resumes the fork live, B compares it with main")
    func resumeFromTheDebugger() throws {
        let scratch = try Scratch()
        let store = scratch.file("ecosystem")
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleWorlds/ecosystem").path
        try FileManager.default.copyItem(atPath: sample, toPath: store)
        let tmux = TmuxSession(name: "tickscope-resume-\(getpid())")
        defer { tmux.kill() }
        try tmux.start("'\(TickscopeProcess.binary.path)' open '\(store)'", width: 120, height: 30)
        #expect(tmux.waitFor("c1 tick 0"), "first screen: \(tmux.capture())")
        // Keystrokes a user types: one a named key, one a character.
        var keystrokes = 0
        func type(_ keys: String) {
            keystrokes += ["Enter", "BSpace", "Right", "Left", "Up", "Down", "Escape", "C-u"].contains(keys) ? 1 : keys.count
            tmux.send(keys)
        }
        for keys in ["a", "/Health.value < 0", "Enter", "F"] { type(keys) }
        #expect(tmux.waitFor("c101 tick 100"), "F finds tick 100: \(tmux.capture())")
        // Esc shows every row again with #265 still selected; h keeps it selected at tick 99.
        type("Escape")
        #expect(tmux.waitFor("vs c100:"), "Esc clears the filter: \(tmux.capture())")
        for keys in ["h", "Right", "Right", "Right", "e", "C-u", "1000", "Enter", "f", "Enter"] { type(keys) }
        #expect(tmux.waitFor("branch fork-99"), "the fork: \(tmux.capture())")
        type("R")
        #expect(tmux.waitFor("run: "), "R shows the command first: \(tmux.capture())")
        #expect(tmux.capture().contains("ecosystem@fork-99 --ticks 101_  (Enter runs, Esc cancels)"), "a long command scrolls to its end: \(tmux.capture())")
        type("Enter")
        #expect(tmux.waitFor("resumed fork-99: committed c"), "the resume ends: \(tmux.capture())")
        #expect(tmux.waitFor("tick 200"), "the view moved on with the branch to its end: \(tmux.capture())")
        type("B")
        #expect(tmux.waitFor("fork-99 and main diverge at"), "B: \(tmux.capture())")
        // The loop from the first screen to the fixed branch compared with main, in keystrokes (README).
        print("ecosystem loop: \(keystrokes) keystrokes")
        #expect(keystrokes == 37, "the README says 37 keystrokes")
        tmux.send("q")
        #expect(tmux.waitForExit(), "q quits")
        // The store has the resumed branch, recorded by the command R ran.
        let log = try TickscopeProcess.run(["log", store, "--json"])
        #expect(log.stdout.components(separatedBy: "\"branch\":\"fork-99\"").count - 1 >= 102, "the fork's 102 checkpoints (tick 99 to 200)")
        // The edit landed on the entity the filter found, at the tick before the bug.
        let edited = try TickscopeProcess.run(["query", store, "first tick where Health.value == 1000 on fork-99", "--json"])
        #expect(edited.stdout.contains("\"tick\":99") && edited.stdout.contains("\"entity\":265"), "\(edited.stdout) \(edited.stderr)")
    }
}

/// A detached tmux session on a private server (`-L NAME -f /dev/null`),
/// driven through the shell with output redirected to files: the tmux server
/// daemonizes, and must inherit no pipe of ours.
struct TmuxSession {
    let name: String

    static var isAvailable: Bool {
        ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private var prefix: String { "tmux -L '\(name)' -f /dev/null" }

    @discardableResult
    private func shell(_ command: String) -> Int32 {
        system(command + " < /dev/null > /dev/null 2>&1")
    }

    func start(_ command: String, width: Int, height: Int) throws {
        let inner = "env LANG=C.UTF-8 TERM=screen-256color \(command); sleep 30"
        let quoted = "'" + inner.replacingOccurrences(of: "'", with: "'\\''") + "'"
        guard shell("\(prefix) new-session -d -s t -x \(width) -y \(height) \(quoted)") == 0 else { throw CocoaError(.executableLoad) }
    }

    func send(_ keys: String) { shell("\(prefix) send-keys -t t '\(keys)'") }
    func resize(width: Int, height: Int) { shell("\(prefix) resize-window -t t -x \(width) -y \(height)") }
    func kill() { shell("\(prefix) kill-server") }

    func capture() -> String {
        let file = NSTemporaryDirectory() + "\(name).capture"
        defer { try? FileManager.default.removeItem(atPath: file) }
        system("\(prefix) capture-pane -p -t t > '\(file)' 2>/dev/null < /dev/null")
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Polls the pane until `text` shows, for up to 10 seconds.
    func waitFor(_ text: String) -> Bool {
        for _ in 0..<200 {
            if capture().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Polls until the program has ended (its screen is gone from the pane).
    func waitForExit() -> Bool {
        for _ in 0..<200 {
            if !capture().contains("tickscope") { return true }
            usleep(50_000)
        }
        return false
    }
}
