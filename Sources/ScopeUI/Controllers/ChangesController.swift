import Timeline

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
        case .previousCellChange, .nextCellChange: startCellChangeSearch(forward: action == .nextCellChange, on: debugger)
        case .firstMatch: startFirstMatchSearch(on: debugger)
        case .filter: debugger.mode = .prompt(.filter, debugger.filterText ?? "")
        case .clearFilter: debugger.applyFilter("")
        case .nextResult: ResultsController.showResult((debugger.query?.position ?? -1) + 1, on: debugger)
        case .previousResult: ResultsController.showResult((debugger.query?.position ?? 1) - 1, on: debugger)
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

    /// `[` and `]`: the previous or next checkpoint where the selected cell's
    /// value changed, looked for a checkpoint at a time between keys.
    private static func startCellChangeSearch(forward: Bool, on debugger: Debugger) {
        let cursor = debugger.cursor
        guard let cell = debugger.selectedCell, let table = debugger.table, let checkpoint = cursor.current else {
            debugger.message = ("select a cell first", true)
            return
        }
        let components = checkpoint.archetypes[table.archetype].signature
        let position = cursor.position
        let indices = forward ? Array((position + 1)..<max(position + 1, cursor.checkpoints.count)) : Array((0..<position).reversed())
        guard !indices.isEmpty else { debugger.message = (forward ? "at the last checkpoint" : "at the first checkpoint", false); return }
        let current = table.columns[debugger.selectedColumn].value(at: cell.row)
        var probe = CellProbe(entity: cell.entity, key: cell.key, components: components)
        // Prime the probe with the current checkpoint so unchanged blocks skip.
        _ = try? probe.value(at: checkpoint, store: debugger.store)
        debugger.work.search = Search(label: "looking for a change of \(cell.entity) \(cell.key)",
                                      subject: "\(forward ? "next" : "previous") change of #\(cell.entity.rawValue) \(cell.key)",
                                      goal: .cellChange(forward: forward, probe: probe, previous: current), indices: indices, origin: position)
    }

    /// `F`: the first checkpoint of the timeline where the filter matches.
    private static func startFirstMatchSearch(on debugger: Debugger) {
        guard let filterExpression = debugger.tableState.filterExpression, let filterText = debugger.filterText,
            let table = debugger.table, let checkpoint = debugger.cursor.current
        else {
            debugger.message = ("set a filter first (/), then F finds where it first matches", true)
            return
        }
        let components = checkpoint.archetypes[table.archetype].signature
        debugger.work.search = Search(label: "looking for the first match of \(filterText)", subject: "first match of \(filterText)",
                                      goal: .firstMatch(filterExpression, components: components, lastHashes: nil),
                                      indices: Array(debugger.cursor.checkpoints.indices), origin: debugger.cursor.position)
    }

    /// A finished search: goes to what it found, or says it found nothing.
    static func finish(_ search: Search, on debugger: Debugger) {
        guard let found = search.found else {
            debugger.message = ("none: \(search.subject) (\(search.indices.count) checkpoints, \(search.skipped) skipped unread)" + unreadableNote(search),
                                !search.unreadable.isEmpty)
            return
        }
        let keepRow = debugger.selectedCell
        debugger.session.cursor.seek(toIndex: found)
        debugger.reload()
        if case .cellChange = search.goal, let keepRow { TableController.gotoEntity(String(keepRow.entity.rawValue), on: debugger) }
        // The answer first, so a narrow status line still shows it.
        let here = debugger.cursor.current!
        debugger.message = ("\(here.id) tick \(here.tick): \(search.subject) (\(search.skipped) skipped unread)" + unreadableNote(search), !search.unreadable.isEmpty)
    }

    /// `; c80, c81 could not be read (marked !)` when the search met damage.
    private static func unreadableNote(_ search: Search) -> String {
        search.unreadable.isEmpty ? "" : "; \(search.unreadable.map(\.description).joined(separator: ", ")) could not be read (marked !)"
    }
}
