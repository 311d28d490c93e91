import Timeline

extension Debugger {
    /// Why `action` can do nothing here and now, in the words the help
    /// overlay shows beside it (`nil`: it can act). The keys themselves
    /// still answer with a message when pressed.
    public func unavailability(of action: Action) -> String? {
        let atStart = cursor.position <= 0, atEnd = cursor.position >= cursor.checkpoints.count - 1
        let hasRows = table != nil && shownCount > 0
        switch action {
        case .stepForward, .jumpForward, .end: return atEnd ? "at the last checkpoint" : nil
        case .stepBack, .jumpBack, .start: return atStart ? "at the first checkpoint" : nil
        case .rowDown, .rowUp, .pageDown, .pageUp, .firstRow, .lastRow, .copyValue, .copyRow, .gotoEntity, .editCell, .lifeline, .pinCell:
            return hasRows ? nil : "no rows shown"
        case .columnRight, .columnLeft, .firstColumn, .lastColumn, .hideColumn, .narrowColumn, .widenColumn, .sort, .distribution, .pinAggregate:
            return table == nil ? "no table shown" : nil
        case .showColumns: return tableState.columnLayout.hidden.isEmpty ? "no column is hidden" : nil
        case .nextChange, .previousChange:
            if !showsDiff { return "diff is off (d)" }
            return table?.changes == nil ? "nothing to compare with here" : nil
        case .previousCellChange: return !hasRows ? "no cell selected" : atStart ? "at the first checkpoint" : nil
        case .nextCellChange: return !hasRows ? "no cell selected" : atEnd ? "at the last checkpoint" : nil
        case .firstMatch: return filterText == nil ? "set a filter first (/)" : nil
        case .clearFilter: return filterText == nil ? "no filter set" : nil
        case .nextResult, .previousResult: return queryResults.isEmpty ? "run :query first" : nil
        case .nextLifeEvent, .previousLifeEvent: return lifeline == nil ? "no lifeline (o)" : nil
        case .unpinAll: return watches.isEmpty ? "no watches" : nil
        case .dropEdit, .clearEdits: return pendingEdits.isEmpty ? "no pending edits (e)" : nil
        case .nextBranch, .diverge: return store.branches.count < 2 ? "only one branch" : nil
        case .resume: return resumeCommand == nil ? "this recording names no resume command" : nil
        case .nextArchetype, .previousArchetype: return (cursor.current?.archetypes.count ?? 0) < 2 ? "only one archetype" : nil
        case .playPause, .faster, .slower, .toggleFollow, .nextPane, .previousPane, .toggleDiff, .diffAgainstMark, .filter, .toggleInspector,
             .stats, .setMark, .jumpToMark, .fork, .branches, .commandLine, .help, .quit:
            return nil
        }
    }
}
