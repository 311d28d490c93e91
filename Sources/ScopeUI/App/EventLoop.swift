import Timeline

/// Where the debugger's screens go and its keys come from: the terminal
/// (ncurses), a script of keys (`open --print --keys`, tests), or a
/// benchmark. One loop, ``EventLoop/run(_:on:)``, drives every backend,
/// so what a key does cannot depend on which one delivered it.
public protocol Backend {
    /// The screen's size in cells, read before every frame (a terminal
    /// can be resized at any time).
    var size: (width: Int, height: Int) { get }
    /// Seconds on a monotonic clock, or `nil` when no time passes for this
    /// backend (a script): then nothing plays, follows or polls between
    /// keys, so a script's result does not depend on how fast it ran.
    var now: Double? { get }
    /// Whether the work a key starts (a search, a field's history) is
    /// finished before the next key: a script wants each key's outcome;
    /// a person wants a live screen while it runs, and Esc to cancel it.
    var finishesWorkBeforeNextKey: Bool { get }
    /// Shows a rendered frame.
    mutating func draw(_ screen: CellBuffer)
    /// The next input, waiting at most `seconds` (`nil`: until there is one).
    mutating func nextEvent(waitingAtMost seconds: Double?) throws -> BackendEvent
    /// Puts text a copy (`y`, `Y`) made on the clipboard.
    mutating func copy(_ text: String)
}

/// What a backend delivers next.
public enum BackendEvent: Equatable, Sendable {
    /// A key press or a click.
    case key(Key)
    /// Nothing yet (a timeout, a resize): the loop redraws and goes on.
    case idle
    /// No more input: the loop returns.
    case end
}

/// The debugger's one event loop.
public enum EventLoop {
    /// Draws, waits for input no longer than the next play step, follow
    /// check or slice of pending work, hands the key to `debugger`, and
    /// goes on until `q` or the backend's end of input. The last frame
    /// drawn shows the outcome of the last key.
    public static func run(_ debugger: Debugger, on backend: inout some Backend) throws {
        draw(debugger, on: &backend)
        while !debugger.isFinished {
            let wait = backend.now.flatMap { debugger.secondsUntilDue(now: $0) }
            let event = try backend.nextEvent(waitingAtMost: wait)
            if event == .end { return }
            // The key's frame is on screen before the work ahead it queued starts.
            Session.holdingWorkAhead {
                if case .key(let key) = event { debugger.handle(key) }
                if let copied = debugger.takeClipboard() { backend.copy(copied) }
                if let now = backend.now { debugger.advance(to: now) }
                if backend.finishesWorkBeforeNextKey {
                    debugger.finishPendingWork()
                } else if debugger.hasPendingWork {
                    _ = debugger.runPendingWork(for: 0.03)
                }
                // The outcome of the last key (q included) is the last frame.
                draw(debugger, on: &backend)
            }
        }
    }

    private static func draw(_ debugger: Debugger, on backend: inout some Backend) {
        let (width, height) = backend.size
        backend.draw(debugger.screen(width: width, height: height))
    }
}

/// Keys from a script, screens kept in memory: `open --print --keys`,
/// and tests. No time passes, and each key's work finishes before the
/// next key.
public struct ScriptBackend: Backend {
    public let size: (width: Int, height: Int)
    /// The keys not delivered yet.
    public private(set) var keys: ArraySlice<Key>
    /// The last frame drawn.
    public private(set) var screen: CellBuffer?
    /// What copies put on the clipboard, in order.
    public private(set) var clipboard: [String] = []

    public init(keys: [Key], width: Int, height: Int) {
        self.keys = keys[...]
        size = (width, height)
    }

    public var now: Double? { nil }
    public var finishesWorkBeforeNextKey: Bool { true }
    public mutating func draw(_ screen: CellBuffer) { self.screen = screen }
    public mutating func nextEvent(waitingAtMost seconds: Double?) -> BackendEvent { keys.popFirst().map(BackendEvent.key) ?? .end }
    public mutating func copy(_ text: String) { clipboard.append(text) }
}
