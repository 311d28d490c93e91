import FoundationEssentials
import PackCodec
import Timeline

/// The debugger's screen model: which branch and checkpoint, which
/// archetype, which rows and columns are in view, what the keyboard is
/// doing. `handle(_:)` changes it; `render(into:)` draws it. Nothing here
/// knows a terminal: tests drive it with keys and read the cell grid.
///
/// A class because it holds the open store and the decoded table of the
/// current checkpoint, which keys change in place.
public final class Debugger {
    /// The cursor on a branch and the world it shows (the engine's side of
    /// the debugger).
    public let session: Session
    /// The open store (read-only; forks open a writer for a moment).
    public var store: CheckpointStore { session.store }
    /// What the title bar calls the recording.
    public let title: String
    /// The bindings keys go through (the standard ones, or a keys file's).
    public var keyMap: KeyMap
    /// The styles the screen is drawn in.
    public var theme: Theme
    /// Themes `:theme NAME` can switch to.
    public var themes: [String: Theme] = [:]
    /// Theme files that could not be read, by name: `:theme NAME` shows the
    /// error instead of switching.
    public var brokenThemes: [String: String] = [:]
    /// The branch whose timeline is shown.
    public var branch: String { session.branch }
    /// The position on that timeline.
    public var cursor: ReplayCursor { session.cursor }
    /// The archetype shown in the table.
    public internal(set) var archetypeIndex = 0
    /// The table pane: rows shown (filter, sort), selection, scroll, column layout.
    var tableState = TableState()
    /// The selected row, as a position in the rows shown.
    public var selectedRow: Int { tableState.selectedRow }
    /// The first row in view, as a position in the rows shown.
    public var topRow: Int { tableState.topRow }
    /// The selected field column.
    public var selectedColumn: Int { tableState.selectedColumn }
    /// The first field column in view.
    public var leftColumn: Int { tableState.leftColumn }
    /// Text a copy (`y`, `Y`) left for the front end's clipboard.
    var clipboard: String?
    /// The pane the row keys move in.
    public internal(set) var focus: Pane = .table
    /// Whether changes against the diff base are highlighted.
    public var showsDiff: Bool { session.showsDiff }
    /// Whether the inspector pane is open.
    public internal(set) var showsInspector = false
    /// What the next key does.
    public internal(set) var mode: Mode = .normal {
        didSet {
            // A prompt that opens starts with the cursor at the end of its text and no line recalled.
            if case .prompt(let now, _) = mode, case .prompt(let before, _) = oldValue, now == before { return }
            prompting.reset()
        }
    }
    /// The open prompt's cursor and the lines typed before (its text is in `mode`).
    var prompting = PromptEditing()
    /// The help overlay's search: whether it is being typed, and the text.
    public internal(set) var helpSearch = HelpSearch()
    /// A line for the status bar; errors are shown in the error style.
    public internal(set) var message: (text: String, isError: Bool)?
    /// A background outcome (a resume that ended) that arrived while the
    /// status line held a key's answer: shown at the next key that says
    /// nothing, so neither replaces the other unseen.
    var deferredNotice: (text: String, isError: Bool)?
    /// Set by the quit key.
    public internal(set) var isFinished = false
    /// The active filter, as typed.
    public var filterText: String? { tableState.filterText }
    /// The sort: a column and its direction.
    public var sort: (key: ColumnKey, descending: Bool)? { tableState.sort }
    /// What diffs compare against: the previous checkpoint, or a fixed one.
    public var diffBase: CheckpointID? { session.diffBase }
    /// Edits the next fork applies, with how the user typed them.
    public var pendingEdits: [(edit: WorldEdit, text: String)] { forkDraft.entries }
    /// The edits themselves, checked as typed.
    var forkDraft = ForkDraft()
    /// The last `:query`: its rows (walked with `}` and `{`, listed in the
    /// results pane) and the one selected.
    var query: QueryResults?
    /// The rows of the last `:query`.
    public var queryResults: [QueryRow] { query?.rows ?? [] }
    /// Whether the results pane is open under the table.
    public var showsResults: Bool { query?.isShown == true }
    /// Bookmarked checkpoints, kept in the store's folder.
    public internal(set) var marks: MarkBook
    /// Searches, the inspector's history, watches and the lifeline: work
    /// along the timeline done a slice at a time between keys.
    var work = TimelineWork()
    /// Rows pinned under the timeline.
    public internal(set) var watches: [Series] {
        get { work.watches }
        set { work.watches = newValue }
    }
    /// Checkpoints that could not be read this session, with why.
    public var damaged: [CheckpointID: String] { session.damaged }
    /// The lifeline lane of one entity (`o`), under the timeline.
    public internal(set) var lifeline: Lifeline? {
        get { work.lifeline }
        set { work.lifeline = newValue }
    }
    /// The selected entity's field over the timeline, for the inspector.
    var history: Series? {
        get { work.history }
        set { work.history = newValue }
    }
    /// Playing and following the timeline.
    var playback = Playback()
    /// Whether the timeline is playing.
    public var isPlaying: Bool { playback.isPlaying }
    /// Checkpoints a second while playing.
    public var speed: Double {
        get { playback.speed }
        set { playback.speed = newValue }
    }
    /// Following a live recording: new checkpoints are picked up, and at
    /// the end of the branch the view moves on with them.
    public var isFollowing: Bool {
        get { playback.isFollowing }
        set { playback.isFollowing = newValue }
    }
    /// The shell command that carries `branch` on (`R`), or `nil` when the
    /// recording names none; set by the front end, which knows how the
    /// recording was made.
    public var resumeCommand: ((_ branch: String) throws -> String?)?
    /// The resume command running, and the branch it records on.
    var resumeRun: ResumeRun?
    /// The change strip of the last render, and what it was computed for:
    /// it only changes with the timeline or the archetype, not every frame.
    var changeStrip: (timeline: [CheckpointID], components: ArchetypeSignature, levels: [Double?])?
    /// Where the last render put things, for mouse clicks.
    var layout = Layout()

    /// The decoded table of the current archetype of the current checkpoint.
    typealias Table = Session.View
    var table: Table? { session.view }

    /// Opens the debugger on `branch` (the main branch, or the first one),
    /// at its first checkpoint.
    public init(store: CheckpointStore, title: String, keyMap: KeyMap = .standard, theme: Theme = .dark, branch: String? = nil) throws(TimelineError) {
        session = try Session(store: store, branch: branch)
        self.title = title
        self.keyMap = keyMap
        self.theme = theme
        marks = MarkBook(store: store)
        if let problem = marks.problem { message = (problem, true) }
        if let first = store.damage.first {
            message = ("damaged store, showing its intact checkpoints (tickscope recover repairs it): \(first)", true)
        }
        try load()
    }

    /// Moves to a checkpoint (`c12`, a tick, `branch@tick`).
    public func seek(to reference: String) throws(TimelineError) {
        let checkpoint = try store.resolve(reference, onBranch: branch)
        try show(checkpoint)
    }

    /// Moves to `checkpoint`, switching branch when it is not on this one.
    func show(_ checkpoint: Checkpoint) throws(TimelineError) {
        try session.position(at: checkpoint)
        try load()
    }

    /// Applies one key.
    public func handle(_ key: Key) {
        message = nil
        defer {
            if message == nil, let notice = deferredNotice { message = notice; deferredNotice = nil }
        }
        if let search = work.search {
            if key == .escape { message = ("\(search.label): cancelled", false); work.search = nil }
            else { message = ("\(search.label)… (Esc cancels)", false) }
            return
        }
        if case .mouse(let x, let y, let button) = key { MouseController.click(x: x, y: y, button: button, on: self); return }
        if mode == .normal, key == .escape, resumeRun?.isRunning == true { ResumeController.stopResume(on: self); return }
        switch mode {
        case .help(let line):
            // Scrolled within the list on the screen last drawn (any distance before the first).
            let (last, page) = layout.isPlaced
                ? DebuggerView.help(of: self, scroll: line).scrolling(in: Rect(x: 0, y: 0, width: layout.size.width, height: layout.size.height))
                : (Int.max, 10)
            mode = helpSearch.apply(key, scroll: line, last: last, page: page).map(Mode.help) ?? .normal
            return
        case .distribution:
            mode = .normal
            return
        case .branches(let selected, let confirming):
            BranchesController.handleListKey(key, selected: selected, confirmingDelete: confirming, on: self)
            return
        case .markLetter(let use):
            mode = .normal
            guard case .character(let letter) = key, letter.isLetter || (use == .diffBase && letter == "-") else {
                if key != .escape { message = ("marks are letters a-z", true) }
                return
            }
            EditingController.useMark(letter, for: use, on: self)
            return
        case .prompt(let prompt, let typed):
            PromptController.handle(key, in: prompt, typed: typed, on: self)
            return
        case .normal:
            break
        }
        guard let action = keyMap.action(for: key) else {
            message = ("no key \(key.label); ? lists them", true)
            return
        }
        perform(action)
    }

    /// Shows the front end's own news in the status line (where the
    /// recording shown came from, say); when the line already holds
    /// something (a damaged store's warning), at the first key that says
    /// nothing, so neither replaces the other unseen.
    ///
    /// ```swift
    /// debugger.notify("your copy of the sample: forks stay in it")
    /// ```
    public func notify(_ text: String) {
        if message == nil { message = (text, false) } else { deferredNotice = (text, false) }
    }

    /// What a copy put on the clipboard since the front end last took it.
    public func takeClipboard() -> String? {
        defer { clipboard = nil }
        return clipboard
    }

    /// Loads the table again (the session measures what it cost, for
    /// `:stats`). A checkpoint that cannot be read is marked damaged by the
    /// session: no stale table is left on screen, the timeline shows `!`
    /// there, and the error is in the status line.
    /// - Returns: whether the checkpoint could be read.
    @discardableResult
    func reload() -> Bool {
        do {
            try load()
            return true
        } catch {
            message = ("\(cursor.current?.id.description ?? "this checkpoint") cannot be read: \(error.description)", true)
            return false
        }
    }

    /// The number of rows shown (all, or the filter's).
    var shownCount: Int { tableState.shownCount(of: table) }

    /// The table row at shown position `position`.
    func row(at position: Int) -> Int { tableState.row(at: position) }

    func selectRow(_ position: Int) {
        tableState.selectRow(position, in: table)
        if showsInspector { refreshHistory() }
    }

    /// The selected entity and column, when the table has rows.
    var selectedCell: (entity: EntityID, key: ColumnKey, row: Int)? { tableState.selectedCell(in: table) }
}
