@preconcurrency import CNcurses
import FoundationEssentials
import ScopeUI

#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw: it flushes cell grids and turns key
/// presses into `Key`s, nothing else. A class because it owns the curses
/// screen, which `close()` ends.
public final class NcursesTerminal {
    private let screen: OpaquePointer
    /// The stream curses draws to, for escape sequences of our own.
    private let output: UnsafeMutablePointer<FILE>?
    private var pairs: [Int: Int16] = [:]
    private var previous: CellBuffer?
    private let hasColors: Bool
    /// When the terminal started: the event loop's clock counts from here.
    private let started = ContinuousClock.now

    /// Why the terminal cannot be used.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Throws ``Unavailable`` when standard input or output is not a
    /// terminal or `TERM` is unset or `dumb`: what ``init(colors:)`` checks
    /// first, for a front end to ask before it does anything else.
    public static func checkAvailable() throws {
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw Unavailable(description: "standard input or output is not a terminal: use --print (with --keys) or `tickscope inspect`")
        }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty, term != "dumb" else { throw Unavailable(description: "TERM is unset or dumb: set TERM (for example xterm-256color)") }
    }

    /// Starts curses on standard input and output.
    /// - Parameter colors: `false` for `NO_COLOR` or a monochrome theme.
    /// - Throws: ``Unavailable`` when standard input or output is not a
    ///   terminal or `TERM` is unset or `dumb` (checked before curses starts,
    ///   because curses itself would spin or exit).
    public init(colors: Bool) throws {
        try Self.checkAvailable()
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        // Only the character set comes from the environment (ncurses draws
        // wide characters by it): numbers stay printed with a `.` (the
        // table formats with `vsnprintf`) whatever LC_NUMERIC says.
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        let output = fdopen(1, "w")
        guard let screen = newterm(nil, output, fdopen(0, "r")) else {
            throw Unavailable(description: "ncurses could not start on TERM=\(term)")
        }
        self.screen = screen
        self.output = output
        set_term(screen)
        cbreak()
        noecho()
        keypad(nc_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        hasColors = colors && has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        // Clicks seek and select; the wheel scrolls.
        mousemask(NC_BUTTON1_PRESSED | NC_BUTTON1_CLICKED | NC_BUTTON4_PRESSED | NC_BUTTON5_PRESSED, nil)
        mouseinterval(0)
    }

    /// Colours the terminal has: 0 without colour, else 8, 16, 256, ...
    public var colorCount: Int { hasColors ? Int(nc_colors()) : 0 }

    /// The screen's size in cells.
    public var size: (width: Int, height: Int) { (Int(nc_cols()), Int(nc_lines())) }

    /// Draws the cells that changed since the last flush.
    public func draw(_ buffer: CellBuffer) {
        let full = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
        if full { erase() }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if !full, previous![x, y] == cell { continue }
                var attributes = NC_A_NORMAL
                if cell.style.isBold { attributes |= NC_A_BOLD }
                if cell.style.isReversed { attributes |= NC_A_REVERSE }
                if cell.style.isUnderlined { attributes |= NC_A_UNDERLINE }
                let pair = hasColors ? colorPair(cell.style) : 0
                wattr_set(nc_stdscr(), attributes, pair, nil)
                mvaddstr(Int32(y), Int32(x), String(cell.character))
            }
        }
        wattr_set(nc_stdscr(), NC_A_NORMAL, 0, nil)
        refresh()
        previous = buffer
    }

    /// Waits for a key, at most `milliseconds` (forever with `nil`). `nil`
    /// for a timeout, a resize (the caller redraws) or input it does not
    /// map; throws when input is gone.
    public func readKey(timeout milliseconds: Int? = nil) throws -> Key? {
        var character: wint_t = 0
        var errors = 0
        wtimeout(nc_stdscr(), Int32(clamping: milliseconds ?? -1))
        while true {
            let status = wget_wch(nc_stdscr(), &character)
            if status == ERR {
                if milliseconds != nil { return nil }
                errors += 1
                if errors > 50 { throw Unavailable(description: "the terminal stopped sending input") }
                continue
            }
            if status == KEY_CODE_YES {
                switch Int32(character) {
                case KEY_UP: return .up
                case KEY_DOWN: return .down
                case KEY_LEFT: return .left
                case KEY_RIGHT: return .right
                case KEY_PPAGE: return .pageUp
                case KEY_NPAGE: return .pageDown
                case KEY_HOME: return .home
                case KEY_END: return .end
                case KEY_ENTER: return .enter
                case KEY_BACKSPACE: return .backspace
                case KEY_BTAB: return .backTab
                case KEY_MOUSE: return mouseKey()
                case KEY_RESIZE: previous = nil; return nil
                default: return nil
                }
            }
            switch character {
            case 10, 13: return .enter
            case 27: return .escape
            case 9: return .tab
            case 127, 8: return .backspace
            default:
                guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
                return .character(Character(scalar))
            }
        }
    }

    /// The pending mouse event as a key.
    private func mouseKey() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let x = Int(event.x), y = Int(event.y)
        if event.bstate & (NC_BUTTON1_PRESSED | NC_BUTTON1_CLICKED) != 0 { return .mouse(x: x, y: y, button: .left) }
        if event.bstate & NC_BUTTON4_PRESSED != 0 { return .mouse(x: x, y: y, button: .wheelUp) }
        if event.bstate & NC_BUTTON5_PRESSED != 0 { return .mouse(x: x, y: y, button: .wheelDown) }
        return nil
    }

    /// Puts `text` on the terminal's clipboard with OSC 52, which xterm,
    /// kitty, iTerm2, Windows Terminal and tmux (`set-clipboard on`)
    /// understand, also over ssh; a terminal that does not ignores it.
    public func copyToClipboard(_ text: String) {
        guard let output else { return }
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        fputs(sequence, output)
        fflush(output)
    }

    /// Ends curses and restores the terminal.
    public func close() {
        endwin()
        delscreen(screen)
    }

    private func colorPair(_ style: Style) -> Int16 {
        let key = Self.code(style.foreground) * 1000 + Self.code(style.background)
        if let pair = pairs[key] { return pair }
        let pair = Int16(pairs.count + 1)
        guard Int32(pair) < nc_color_pairs() else { return 0 }
        init_pair(pair, Int16(Self.code(style.foreground)), Int16(Self.code(style.background)))
        pairs[key] = pair
        return pair
    }

    private static func code(_ color: Color) -> Int {
        switch color {
        case .default: -1
        case .black: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        case .white: 7
        case .indexed(let n): Int(n)
        }
    }
}

/// The terminal as the event loop's backend: a real clock, and a live
/// screen while a key's work runs (Esc cancels it).
extension NcursesTerminal: Backend {
    public var now: Double? {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    public var finishesWorkBeforeNextKey: Bool { false }

    public func nextEvent(waitingAtMost seconds: Double?) throws -> BackendEvent {
        try readKey(timeout: seconds.map { Int(($0 * 1000).rounded(.up)) }).map(BackendEvent.key) ?? .idle
    }

    public func copy(_ text: String) { copyToClipboard(text) }
}
