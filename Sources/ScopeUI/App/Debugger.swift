import Foundation
import PackCodec
import Timeline

/// The debugger's screen model: which branch and checkpoint, which
/// archetype, which rows and columns are in view, what mode the keyboard is
/// in. `handle(_:)` changes it; `render(into:)` draws it. Nothing here knows
/// a terminal: tests drive it with keys and read the cell grid.
///
/// A class because it holds the open store and the decoded table of the
/// current checkpoint, which keys change in place.
public final class Debugger {
    /// What the keyboard is doing.
    public enum Mode: Equatable, Sendable {
        case normal
        case help
        /// Typing a tick to go to.
        case gotoTick(String)
        /// Typing a filter expression.
        case filter(String)
    }

    public let store: CheckpointStore
    /// What the title bar calls the recording.
    public let title: String
    public let keyMap: KeyMap
    public var theme: Theme
    public private(set) var branch: String
    public private(set) var cursor: ReplayCursor
    public private(set) var archetypeIndex = 0
    public private(set) var selectedRow = 0
    public private(set) var topRow = 0
    public private(set) var selectedColumn = 0
    public private(set) var leftColumn = 0
    public private(set) var showsDiff = true
    public private(set) var mode: Mode = .normal
    /// A line for the status bar; errors are shown in the error style.
    public private(set) var message: (text: String, isError: Bool)?
    /// Set by the quit key.
    public private(set) var isFinished = false
    /// The active filter, as typed.
    public private(set) var filterText: String?
    private var filterExpression: FilterExpression?
    /// With a filter, the table rows that match, in order; the selection
    /// and scrolling index into this list.
    private(set) var shownRows: [Int]?
    /// Rows of the table the last render had room for (page size).
    private var visibleRows = 10

    /// The decoded table of the current archetype of the current checkpoint.
    struct Table {
        var checkpoint: CheckpointID
        var archetype: Int
        var ids: [EntityID]
        var keys: [ColumnKey]
        var columns: [Column]
        /// Changed cells as row × column count + column.
        var changed: Set<Int>
        var spawnedRows: Set<Int>
        var summary: String
    }
    private(set) var table: Table?

    /// Opens the debugger on `branch` (the main branch, or the first one),
    /// at its first checkpoint.
    public init(store: CheckpointStore, title: String, keyMap: KeyMap = .standard, theme: Theme = .dark, branch: String? = nil) throws(TimelineError) {
        self.store = store
        self.title = title
        self.keyMap = keyMap
        self.theme = theme
        let names = store.branches.map(\.name)
        self.branch = branch ?? (names.contains(CheckpointStore.mainBranch) ? CheckpointStore.mainBranch : names.first ?? CheckpointStore.mainBranch)
        cursor = ReplayCursor(checkpoints: names.isEmpty ? [] : try store.timeline(of: self.branch))
        try load()
    }

    /// Moves to a checkpoint (`c12`, a tick, `branch@tick`).
    public func seek(to reference: String) throws(TimelineError) {
        let checkpoint = try store.resolve(reference)
        if checkpoint.branch != branch, !cursor.checkpoints.contains(where: { $0.id == checkpoint.id }) {
            branch = checkpoint.branch
            cursor = ReplayCursor(checkpoints: try store.timeline(of: branch))
        }
        cursor.seek(to: checkpoint.id)
        try load()
    }

    /// Applies one key.
    public func handle(_ key: Key) {
        message = nil
        switch mode {
        case .help:
            mode = .normal
            return
        case .gotoTick(let typed):
            if let done = edit(typed, with: key, accepting: { $0.isNumber }, rewrap: Mode.gotoTick) {
                guard let tick = UInt64(done) else { message = ("type a tick number, then Enter", true); return }
                cursor.seek(toTick: tick)
                reload()
            }
            return
        case .filter(let typed):
            if let done = edit(typed, with: key, accepting: { _ in true }, rewrap: Mode.filter) { applyFilter(done) }
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

    /// One key of a one-line prompt: Esc cancels, Backspace deletes,
    /// accepted characters append, Enter finishes.
    /// - Returns: the finished text on Enter, else `nil`.
    private func edit(_ typed: String, with key: Key, accepting: (Character) -> Bool, rewrap: (String) -> Mode) -> String? {
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = rewrap(String(typed.dropLast()))
        case .enter:
            mode = .normal
            return typed
        case .character(let c) where accepting(c): mode = rewrap(typed + String(c))
        default: break
        }
        return nil
    }

    func perform(_ action: Action) {
        let count = shownRows?.count ?? table?.ids.count ?? 0
        switch action {
        case .stepForward: if cursor.step(1) { reload() } else { message = ("at the last checkpoint", false) }
        case .stepBack: if cursor.step(-1) { reload() } else { message = ("at the first checkpoint", false) }
        case .jumpForward: cursor.step(10); reload()
        case .jumpBack: cursor.step(-10); reload()
        case .start: cursor.seekToStart(); reload()
        case .end: cursor.seekToEnd(); reload()
        case .rowDown: selectRow(selectedRow + 1, count: count)
        case .rowUp: selectRow(selectedRow - 1, count: count)
        case .pageDown: selectRow(selectedRow + visibleRows, count: count)
        case .pageUp: selectRow(selectedRow - visibleRows, count: count)
        case .columnRight: selectedColumn = min(selectedColumn + 1, max(0, (table?.keys.count ?? 1) - 1))
        case .columnLeft: selectedColumn = max(0, selectedColumn - 1)
        case .nextArchetype, .previousArchetype:
            let archetypes = cursor.current?.archetypes.count ?? 0
            guard archetypes > 0 else { return }
            archetypeIndex = (archetypeIndex + (action == .nextArchetype ? 1 : archetypes - 1)) % archetypes
            selectedRow = 0; topRow = 0; selectedColumn = 0; leftColumn = 0
            reload()
        case .toggleDiff: showsDiff.toggle(); reload()
        case .nextChange:
            guard let table, showsDiff else { message = ("diff is off: press d", false); return }
            let columns = max(1, table.keys.count)
            let changedRows = Set(table.changed.map { $0 / columns }).union(table.spawnedRows)
            // Positions in the list on screen (all rows, or the filter's).
            let positions = shownRows.map { rows in rows.indices.filter { changedRows.contains(rows[$0]) } } ?? changedRows.sorted()
            if let next = positions.first(where: { $0 > selectedRow }) ?? positions.first {
                selectRow(next, count: count)
            } else {
                message = ("nothing changed in the rows shown", false)
            }
        case .filter: mode = .filter(filterText ?? "")
        case .gotoTick: mode = .gotoTick("")
        case .nextBranch:
            let names = store.branches.map(\.name)
            guard names.count > 1, let index = names.firstIndex(of: branch) else { message = ("only one branch", false); return }
            branch = names[(index + 1) % names.count]
            let tick = cursor.current?.tick ?? 0
            do { cursor = ReplayCursor(checkpoints: try store.timeline(of: branch)) } catch { message = (error.description, true); return }
            cursor.seek(toTick: tick)
            reload()
        case .help: mode = .help
        case .quit: isFinished = true
        }
    }

    private func selectRow(_ row: Int, count: Int) {
        selectedRow = max(0, min(row, count - 1))
        if selectedRow < topRow { topRow = selectedRow }
        if selectedRow >= topRow + visibleRows { topRow = selectedRow - visibleRows + 1 }
    }

    /// Sets (or, with empty text, clears) the row filter.
    func applyFilter(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            filterText = nil; filterExpression = nil; shownRows = nil
            return
        }
        do {
            filterExpression = try FilterExpression.parse(trimmed)
            filterText = trimmed
            selectedRow = 0; topRow = 0
            refilter()
        } catch {
            message = ("filter: \(error.description)", true)
        }
    }

    /// Recomputes the matching rows of the current table.
    private func refilter() {
        guard let filterExpression, let table else { shownRows = nil; return }
        do {
            shownRows = try filterExpression.matchingRows(keys: table.keys, columns: table.columns, count: table.ids.count)
        } catch {
            shownRows = []
            message = ("filter: \(error.description)", true)
        }
    }

    /// Loads the table again, showing any error in the status line.
    private func reload() {
        do { try load() } catch { message = (error.description, true) }
    }

    /// Decodes the current archetype of the current checkpoint, and its diff
    /// against the previous checkpoint on the timeline.
    func load() throws(TimelineError) {
        guard let checkpoint = cursor.current else { table = nil; return }
        if archetypeIndex >= checkpoint.archetypes.count { archetypeIndex = 0 }
        guard checkpoint.archetypes.indices.contains(archetypeIndex) else { table = nil; return }
        let stored = checkpoint.archetypes[archetypeIndex]
        let ids = try store.entities(stored.entities, label: "entity ids of \(checkpoint.id)")
        let columns = try store.columns(stored.columns, label: checkpoint.id.description)
        let keys = stored.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
        var changed = Set<Int>()
        var spawnedRows = Set<Int>()
        var summary = "diff off (d)"
        if showsDiff, cursor.position > 0 {
            let previous = cursor.checkpoints[cursor.position - 1]
            let diff = try store.diff(previous.id, checkpoint.id)
            var rowOf: [EntityID: Int] = [:]
            if !diff.changed.isEmpty || !diff.spawned.isEmpty {
                for (row, id) in ids.enumerated() { rowOf[id] = row }
            }
            let columnOf = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
            for change in diff.changed {
                if let row = rowOf[change.entity], let column = columnOf[ColumnKey(component: change.component, field: change.field)] {
                    changed.insert(row * max(1, keys.count) + column)
                }
            }
            for id in diff.spawned { if let row = rowOf[id] { spawnedRows.insert(row) } }
            let perField = diff.changedCellsPerField.prefix(4).map { "\($0.key) \($0.count)" }.joined(separator: ", ")
            summary = "vs \(previous.id): \(diff.spawned.count) spawned, \(diff.despawned.count) despawned, \(diff.moved.count) moved, "
                + "\(diff.changed.count) cells" + (perField.isEmpty ? "" : " (\(perField))")
        } else if showsDiff {
            summary = "first checkpoint: nothing to compare"
        }
        table = Table(checkpoint: checkpoint.id, archetype: archetypeIndex, ids: ids, keys: keys, columns: columns,
                      changed: changed, spawnedRows: spawnedRows, summary: summary)
        refilter()
        selectedRow = min(selectedRow, max(0, (shownRows?.count ?? ids.count) - 1))
        if topRow > selectedRow { topRow = selectedRow }
    }

    /// Rows the table can show; the render sets it from the screen size.
    func setVisibleRows(_ rows: Int) {
        visibleRows = max(1, rows)
        if selectedRow >= topRow + visibleRows { topRow = selectedRow - visibleRows + 1 }
    }

    /// Keeps the selected column in view given how many fit.
    func setVisibleColumns(_ columns: Int) {
        if selectedColumn < leftColumn { leftColumn = selectedColumn }
        if selectedColumn >= leftColumn + columns { leftColumn = selectedColumn - columns + 1 }
    }
}
