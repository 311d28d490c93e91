/// What a key does. Its raw value is also its `:` command.
public enum Action: String, CaseIterable, Sendable {
    case stepForward = "step-forward", stepBack = "step-back"
    case jumpForward = "jump-forward", jumpBack = "jump-back"
    case start, end
    case playPause = "play-pause", faster, slower
    case rowDown = "row-down", rowUp = "row-up", pageDown = "page-down", pageUp = "page-up"
    case firstRow = "first-row", lastRow = "last-row"
    case columnRight = "column-right", columnLeft = "column-left"
    case firstColumn = "first-column", lastColumn = "last-column"
    case hideColumn = "hide-column", showColumns = "show-columns"
    case narrowColumn = "narrow-column", widenColumn = "widen-column"
    case copyValue = "copy-value", copyRow = "copy-row"
    case distribution
    case lifeline, nextLifeEvent = "next-life-event", previousLifeEvent = "previous-life-event"
    case stats
    case nextPane = "next-pane", previousPane = "previous-pane"
    case nextArchetype = "next-archetype", previousArchetype = "previous-archetype"
    case toggleDiff = "toggle-diff", nextChange = "next-change", previousChange = "previous-change"
    case diffAgainstMark = "diff-against-mark"
    case previousCellChange = "previous-cell-change", nextCellChange = "next-cell-change"
    case firstMatch = "first-match"
    case sort
    case filter, clearFilter = "clear-filter"
    case gotoEntity = "goto-entity"
    case commandLine = "command-line"
    case toggleInspector = "inspector"
    case pinCell = "pin-cell", pinAggregate = "pin-aggregate", unpinAll = "unpin-all"
    case setMark = "mark", jumpToMark = "jump-to-mark"
    case editCell = "edit-cell", dropEdit = "drop-edit", fork, clearEdits = "clear-edits"
    case nextBranch = "next-branch", branches, diverge, resume
    case toggleFollow = "follow"
    case nextResult = "next-result", previousResult = "previous-result"
    case help, quit
}

/// One binding: a key, what it does, and the sentence the help overlay shows.
public struct KeyBinding: Sendable, Equatable {
    public var key: Key
    public var action: Action

    public init(_ key: Key, _ action: Action) {
        self.key = key
        self.action = action
    }
}

/// All bindings. The handler, the help overlay and the `:` command line all
/// read this list and ``Action``, so they cannot drift apart.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) { self.bindings = bindings }

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? { bindings.first { $0.key == key }?.action }

    /// The keys bound to `action`, in binding order.
    public func keys(for action: Action) -> [Key] { bindings.filter { $0.action == action }.map(\.key) }

    /// Terminal conventions: arrows and hjkl, PgUp/PgDn, Home/End, / to
    /// filter, n/N for the next and previous match, ? for help, q to quit.
    public static let standard = KeyMap(bindings: [
        KeyBinding(.character("l"), .stepForward), KeyBinding(.character("h"), .stepBack),
        KeyBinding(.character("L"), .jumpForward), KeyBinding(.character("H"), .jumpBack),
        KeyBinding(.character("g"), .start), KeyBinding(.character("G"), .end),
        KeyBinding(.character(" "), .playPause), KeyBinding(.character("+"), .faster), KeyBinding(.character("-"), .slower),
        KeyBinding(.down, .rowDown), KeyBinding(.character("j"), .rowDown),
        KeyBinding(.up, .rowUp), KeyBinding(.character("k"), .rowUp),
        KeyBinding(.pageDown, .pageDown), KeyBinding(.pageUp, .pageUp),
        KeyBinding(.home, .firstRow), KeyBinding(.end, .lastRow),
        KeyBinding(.right, .columnRight), KeyBinding(.left, .columnLeft),
        KeyBinding(.character("0"), .firstColumn), KeyBinding(.character("$"), .lastColumn),
        KeyBinding(.character("_"), .hideColumn), KeyBinding(.character("<"), .narrowColumn), KeyBinding(.character(">"), .widenColumn),
        KeyBinding(.character("y"), .copyValue), KeyBinding(.character("Y"), .copyRow),
        KeyBinding(.character("%"), .distribution),
        KeyBinding(.character("o"), .lifeline), KeyBinding(.character(")"), .nextLifeEvent), KeyBinding(.character("("), .previousLifeEvent),
        KeyBinding(.tab, .nextPane), KeyBinding(.backTab, .previousPane),
        KeyBinding(.character("a"), .nextArchetype), KeyBinding(.character("A"), .previousArchetype),
        KeyBinding(.character("d"), .toggleDiff),
        KeyBinding(.character("n"), .nextChange), KeyBinding(.character("N"), .previousChange),
        KeyBinding(.character("D"), .diffAgainstMark),
        KeyBinding(.character("["), .previousCellChange), KeyBinding(.character("]"), .nextCellChange),
        KeyBinding(.character("F"), .firstMatch),
        KeyBinding(.character("s"), .sort),
        KeyBinding(.character("/"), .filter), KeyBinding(.escape, .clearFilter),
        KeyBinding(.character("#"), .gotoEntity),
        KeyBinding(.character(":"), .commandLine),
        KeyBinding(.enter, .toggleInspector), KeyBinding(.character("i"), .toggleInspector),
        KeyBinding(.character("w"), .pinCell), KeyBinding(.character("W"), .pinAggregate),
        KeyBinding(.character("m"), .setMark), KeyBinding(.character("'"), .jumpToMark),
        KeyBinding(.character("e"), .editCell), KeyBinding(.character("u"), .dropEdit), KeyBinding(.character("f"), .fork),
        KeyBinding(.character("b"), .nextBranch), KeyBinding(.character("v"), .branches), KeyBinding(.character("B"), .diverge),
        KeyBinding(.character("R"), .resume),
        KeyBinding(.character("}"), .nextResult), KeyBinding(.character("{"), .previousResult),
        KeyBinding(.character("?"), .help), KeyBinding(.character("q"), .quit),
    ])
}

extension Action {
    /// The sentence the help overlay shows.
    public var summary: String {
        switch self {
        case .stepForward: "next checkpoint"
        case .stepBack: "previous checkpoint"
        case .jumpForward: "10 checkpoints forward"
        case .jumpBack: "10 checkpoints back"
        case .start: "first checkpoint"
        case .end: "last checkpoint"
        case .playPause: "play or pause"
        case .faster: "play faster (checkpoints a second)"
        case .slower: "play slower"
        case .rowDown: "next row (next archetype or field in the other panes)"
        case .rowUp: "previous row"
        case .pageDown: "next page of rows"
        case .pageUp: "previous page of rows"
        case .firstRow: "first row"
        case .lastRow: "last row"
        case .columnRight: "next column"
        case .columnLeft: "previous column"
        case .firstColumn: "first column"
        case .lastColumn: "last column"
        case .hideColumn: "hide the selected column (:show-columns shows them all)"
        case .showColumns: "show every hidden column again"
        case .narrowColumn: "narrow the selected column"
        case .widenColumn: "widen the selected column"
        case .copyValue: "copy the selected value to the clipboard (OSC 52: works over ssh and in tmux)"
        case .copyRow: "copy the selected row as tab-separated id and values"
        case .distribution: "the selected column's distribution here against the diff base: histogram, count, quartiles, mean"
        case .lifeline: "the selected entity's lifeline under the timeline: spawn +, changes •, moves >, despawn x (again: remove)"
        case .nextLifeEvent: "next checkpoint where the lifeline's entity was spawned, changed, moved or despawned"
        case .previousLifeEvent: "previous event on the lifeline"
        case .stats: "what the last step cost: blocks decoded, bytes stored and decoded, cache hits, milliseconds"
        case .nextPane: "next pane: archetypes, table, inspector"
        case .previousPane: "previous pane"
        case .nextArchetype: "next archetype"
        case .previousArchetype: "previous archetype"
        case .toggleDiff: "highlight changes since the previous checkpoint"
        case .nextChange: "next changed row"
        case .previousChange: "previous changed row"
        case .diffAgainstMark: "diff against a mark (then its letter; - for the previous checkpoint)"
        case .previousCellChange: "previous checkpoint where the selected cell changed"
        case .nextCellChange: "next checkpoint where the selected cell changed"
        case .firstMatch: "first checkpoint where the filter matches"
        case .sort: "sort by the selected column: ascending, descending, off"
        case .filter: "filter rows, like Health.value < 0 (Enter; empty clears)"
        case .clearFilter: "show all rows again, keeping the selected entity"
        case .gotoEntity: "go to an entity id"
        case .commandLine: "command line: a tick, c12, branch@tick, or any command (Tab completes)"
        case .toggleInspector: "inspector: the entity's components and the field's history"
        case .pinCell: "pin the selected cell as a watch under the timeline"
        case .pinAggregate: "pin the column's count, min, max and mean over the filter"
        case .unpinAll: "remove all watches"
        case .setMark: "mark this checkpoint (then a letter, then a note)"
        case .jumpToMark: "go to a mark (then its letter)"
        case .editCell: "edit the selected cell for the next fork (shown as *VALUE until then)"
        case .dropEdit: "drop the selected cell's pending edit (or the last one made)"
        case .fork: "fork a new branch here, with the edits"
        case .clearEdits: "drop the edits"
        case .nextBranch: "switch to the next branch"
        case .branches: "the branch list: switch (Enter), rename (r), delete (d, then y)"
        case .diverge: "where this branch and the next one diverge"
        case .resume: "run the simulation on from this branch's end, following it live (Esc stops)"
        case .toggleFollow: "stop or start following a recording as it grows (on by default)"
        case .nextResult: "next row of the last :query (its checkpoint and entity)"
        case .previousResult: "previous row of the last :query"
        case .help: "this help"
        case .quit: "quit"
        }
    }
}
