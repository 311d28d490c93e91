/// The part of the debugger an action works on: the help overlay lists the
/// actions under these headings, in this order.
public enum ActionGroup: String, CaseIterable, Sendable {
    case time = "moving in time"
    case table = "the table: rows and panes"
    case columns = "columns and copying"
    case changes = "changes, filters and searches"
    case watching = "inspecting and watching"
    case editing = "marks, edits and forks"
    case branches = "branches and resuming"
    case debugger = "the debugger"
}

extension Action {
    /// The group the help overlay lists this action under.
    public var group: ActionGroup {
        switch self {
        case .stepForward, .stepBack, .jumpForward, .jumpBack, .start, .end, .playPause, .faster, .slower, .toggleFollow: .time
        case .rowDown, .rowUp, .pageDown, .pageUp, .firstRow, .lastRow, .nextPane, .previousPane, .nextArchetype, .previousArchetype, .gotoEntity: .table
        case .columnRight, .columnLeft, .firstColumn, .lastColumn, .hideColumn, .showColumns, .narrowColumn, .widenColumn, .copyValue, .copyRow, .sort: .columns
        case .toggleDiff, .nextChange, .previousChange, .diffAgainstMark, .previousCellChange, .nextCellChange, .firstMatch, .filter, .clearFilter,
             .nextResult, .previousResult: .changes
        case .toggleInspector, .distribution, .lifeline, .nextLifeEvent, .previousLifeEvent, .pinCell, .pinAggregate, .unpinAll, .stats: .watching
        case .setMark, .jumpToMark, .editCell, .dropEdit, .fork, .clearEdits: .editing
        case .nextBranch, .branches, .diverge, .resume: .branches
        case .commandLine, .help, .quit: .debugger
        }
    }
}
