/// Changes, filters and searches: the diff's highlights and base, the next
/// changed row, searches along the timeline, the filter, and the rows of
/// the last `:query`.
enum ChangesController: Controller {
    static let group = ActionGroup.changes

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .nextChange, .previousChange:
            if !debugger.showsDiff { return "diff is off (d)" }
            return debugger.table?.changes == nil ? "nothing to compare with here" : nil
        case .previousCellChange: return !debugger.hasRowsShown ? "no cell selected" : debugger.isAtFirstCheckpoint ? "at the first checkpoint" : nil
        case .nextCellChange: return !debugger.hasRowsShown ? "no cell selected" : debugger.isAtLastCheckpoint ? "at the last checkpoint" : nil
        case .firstMatch: return debugger.filterText == nil ? "set a filter first (/)" : nil
        case .clearFilter: return debugger.filterText == nil ? "no filter set" : nil
        case .nextResult, .previousResult: return debugger.queryResults.isEmpty ? "run :query first" : nil
        default: return nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .toggleDiff:
            debugger.session.showsDiff.toggle()
            debugger.reload()
        case .nextChange, .previousChange: jumpToChangedRow(forward: action == .nextChange, on: debugger)
        case .diffAgainstMark: debugger.mode = .markLetter(.diffBase)
        case .previousCellChange, .nextCellChange: debugger.startCellChangeSearch(forward: action == .nextCellChange)
        case .firstMatch: debugger.startFirstMatchSearch()
        case .filter: debugger.mode = .prompt(.filter, debugger.filterText ?? "")
        case .clearFilter: debugger.applyFilter("")
        case .nextResult: debugger.showResult((debugger.query?.position ?? -1) + 1)
        case .previousResult: debugger.showResult((debugger.query?.position ?? 1) - 1)
        default: return false
        }
        return true
    }

    /// n and N: the next or previous row with a changed cell, a spawn or
    /// a move, among the rows shown, wrapping around.
    private static func jumpToChangedRow(forward: Bool, on debugger: Debugger) {
        guard debugger.showsDiff else { debugger.message = ("diff is off: press d", false); return }
        guard let changes = debugger.table?.changes else { debugger.message = ("nothing to compare with here", false); return }
        let rows = changes.anyRow
        let count = debugger.shownCount
        let selected = debugger.selectedRow
        guard count > 0 else { return }
        if debugger.tableState.shownRows == nil {
            let found = forward ? (rows.next(after: selected) ?? rows.next(after: -1)) : (rows.previous(before: selected) ?? rows.previous(before: count))
            if let found { debugger.selectRow(found) } else { debugger.message = ("nothing changed in this archetype", false) }
            return
        }
        for step in 1...count {
            let position = ((selected + (forward ? step : -step)) % count + count) % count
            if rows.contains(debugger.row(at: position)) { debugger.selectRow(position); return }
        }
        debugger.message = ("nothing changed in the rows shown", false)
    }
}
