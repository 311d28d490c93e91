import PackCodec
import Timeline

extension Debugger {
    /// Does what a key or a command names.
    func perform(_ action: Action) {
        if focus == .results, performInResults(action) { return }
        switch action {
        case .stepForward: step(by: 1)
        case .stepBack: step(by: -1)
        case .jumpForward: step(by: 10)
        case .jumpBack: step(by: -10)
        case .start: session.cursor.seekToStart(); settle(towards: 1)
        case .end: session.cursor.seekToEnd(); settle(towards: -1)
        case .playPause:
            playback.togglePlaying()
            if isPlaying, cursor.position == cursor.checkpoints.count - 1, !isFollowing { session.cursor.seekToStart(); reload() }
            message = (isPlaying ? "playing at \(playback.speedLabel) checkpoints a second (space pauses, + and - change speed)" : "paused", false)
        case .faster, .slower:
            playback.changeSpeed(faster: action == .faster)
            message = ("speed: \(playback.speedLabel) checkpoints a second", false)
        case .rowDown: move(by: 1)
        case .rowUp: move(by: -1)
        case .pageDown: move(by: tableState.visibleRows)
        case .pageUp: move(by: -tableState.visibleRows)
        case .firstRow: move(by: -Int(Int32.max))
        case .lastRow: move(by: Int(Int32.max))
        case .columnRight: stepColumn(forward: true)
        case .columnLeft: stepColumn(forward: false)
        case .firstColumn: if let table, let first = tableState.columnLayout.shown(table.keys).first { selectColumn(first) }
        case .lastColumn: if let table, let last = tableState.columnLayout.shown(table.keys).last { selectColumn(last) }
        case .hideColumn: hideSelectedColumn()
        case .showColumns: showAllColumns()
        case .narrowColumn: resizeSelectedColumn(by: -2)
        case .widenColumn: resizeSelectedColumn(by: 2)
        case .copyValue: copySelection(row: false)
        case .copyRow: copySelection(row: true)
        case .distribution: showDistribution()
        case .lifeline: toggleLifeline()
        case .stats: showStatistics()
        case .nextLifeEvent: jumpAlongLifeline(forward: true)
        case .previousLifeEvent: jumpAlongLifeline(forward: false)
        case .nextPane, .previousPane:
            let panes: [Pane] = [.archetypes, .table] + (showsInspector ? [.inspector] : []) + (showsResults ? [.results] : [])
            let index = panes.firstIndex(of: focus) ?? 1
            focus = panes[(index + (action == .nextPane ? 1 : panes.count - 1)) % panes.count]
        case .nextArchetype: selectArchetype(archetypeIndex + 1)
        case .previousArchetype: selectArchetype(archetypeIndex - 1)
        case .toggleDiff: session.showsDiff.toggle(); reload()
        case .nextChange, .previousChange: jumpToChangedRow(forward: action == .nextChange)
        case .diffAgainstMark: mode = .markLetter(.diffBase)
        case .previousCellChange, .nextCellChange: startCellChangeSearch(forward: action == .nextCellChange)
        case .firstMatch: startFirstMatchSearch()
        case .sort: cycleSort()
        case .filter: mode = .prompt(.filter, filterText ?? "")
        case .clearFilter: applyFilter("")
        case .gotoEntity: mode = .prompt(.entity, "")
        case .commandLine: mode = .prompt(.command, "")
        case .toggleInspector:
            showsInspector.toggle()
            if showsInspector { refreshHistory() } else if focus == .inspector { focus = .table }
        case .pinCell: pinCell()
        case .pinAggregate: pinAggregates(selectedColumnIsText ? [.count] : Series.Aggregate.allCases)
        case .unpinAll: watches.removeAll(); message = ("watches removed", false)
        case .setMark: mode = .markLetter(.set)
        case .jumpToMark: mode = .markLetter(.jump)
        case .editCell: beginEdit()
        case .fork: beginFork()
        case .clearEdits: forkDraft.clear(); message = ("edits dropped", false)
        case .dropEdit: dropEdit()
        case .nextResult: showResult((query?.position ?? -1) + 1)
        case .previousResult: showResult((query?.position ?? 1) - 1)
        case .nextBranch: switchBranch(to: nil)
        case .branches: showBranchList()
        case .diverge: showDivergence(with: nil)
        case .resume: beginResume()
        case .toggleFollow:
            playback.isFollowing.toggle()
            message = (isFollowing ? "following the recording as it grows" : "not following", false)
        case .help: mode = .help(0)
        case .quit: isFinished = true
        }
    }

    /// The row keys move in the focused pane.
    private func move(by delta: Int) {
        switch focus {
        case .archetypes: selectArchetype(archetypeIndex + max(-1, min(1, delta)))
        case .inspector: selectColumn(selectedColumn + max(-1, min(1, delta)))
        case .results: query?.move(by: delta)
        case .table: selectRow(Int(max(Int64(Int.min / 2), min(Int64(Int.max / 2), Int64(selectedRow) + Int64(delta)))))
        }
    }

    func selectColumn(_ column: Int) {
        tableState.selectColumn(column, in: table)
        if showsInspector { refreshHistory() }
    }

    func selectArchetype(_ index: Int) {
        let archetypes = cursor.current?.archetypes.count ?? 0
        guard archetypes > 0 else { return }
        archetypeIndex = (index % archetypes + archetypes) % archetypes
        tableState.resetPosition()
        tableState.sort = nil
        reload()
    }

    /// n and N: the next or previous row with a changed cell, a spawn or
    /// a move, among the rows shown, wrapping around.
    private func jumpToChangedRow(forward: Bool) {
        guard showsDiff else { message = ("diff is off: press d", false); return }
        guard let changes = table?.changes else { message = ("nothing to compare with here", false); return }
        let rows = changes.anyRow
        let count = shownCount
        guard count > 0 else { return }
        if tableState.shownRows == nil {
            let found = forward ? (rows.next(after: selectedRow) ?? rows.next(after: -1)) : (rows.previous(before: selectedRow) ?? rows.previous(before: count))
            if let found { selectRow(found) } else { message = ("nothing changed in this archetype", false) }
            return
        }
        for step in 1...count {
            let position = ((selectedRow + (forward ? step : -step)) % count + count) % count
            if rows.contains(row(at: position)) { selectRow(position); return }
        }
        message = ("nothing changed in the rows shown", false)
    }

    /// `#`: selects an entity by id, in whichever archetype it is.
    func gotoEntity(_ text: String) {
        guard let raw = UInt64(text.trimmingCharacters(in: .whitespaces)) else { message = ("an entity id is a number", true); return }
        let id = EntityID(raw)
        guard let checkpoint = cursor.current else { return }
        var order = Array(checkpoint.archetypes.indices)
        order.removeAll { $0 == archetypeIndex }
        order.insert(archetypeIndex, at: 0)
        for index in order {
            let ids: [EntityID]
            if index == archetypeIndex, let table { ids = table.ids } else {
                do { ids = try store.entities(checkpoint.archetypes[index].entities, label: "entity ids of \(checkpoint.id)") } catch {
                    message = (error.description, true); return
                }
            }
            guard let row = ids.firstIndex(of: id) else { continue }
            if index != archetypeIndex { selectArchetype(index) }
            guard let position = tableState.shownRows == nil ? row : tableState.shownRows!.firstIndex(of: row) else {
                message = ("entity \(raw) is hidden by the filter", true); return
            }
            if focus != .results { focus = .table }
            selectRow(position)
            return
        }
        message = ("no entity \(raw) at \(checkpoint.id)", true)
    }

    /// Switches to `name`, or the next branch, at the same tick.
    func switchBranch(to name: String?) {
        let names = store.branches.map(\.name)
        let target: String
        if let name {
            guard names.contains(name) else { message = ("no branch \(name)", true); return }
            target = name
        } else {
            guard names.count > 1, let index = names.firstIndex(of: branch) else { message = ("only one branch", false); return }
            target = names[(index + 1) % names.count]
        }
        let tick = cursor.current?.tick ?? 0
        do { try session.switchTo(branch: target) } catch { message = (error.description, true); return }
        session.cursor.seek(toTick: tick)
        reload()
    }

    /// A click: on the timeline or change strip seeks, in the archetype
    /// list selects, in the table selects the cell; the wheel scrolls.
    func click(x: Int, y: Int, button: MouseButton) {
        if mode != .normal { mode = .normal }
        switch button {
        case .wheelUp: selectRow(selectedRow - 3); return
        case .wheelDown: selectRow(selectedRow + 3); return
        case .left: break
        }
        for bar in [layout.timeline, layout.strip, layout.lifeline] where bar.contains(x: x, y: y) {
            guard let index = TimelineBar.checkpointIndex(atColumn: x - bar.x, width: bar.width, count: cursor.checkpoints.count) else { return }
            session.cursor.seek(toIndex: index)
            reload()
            return
        }
        if layout.archetypes.contains(x: x, y: y) {
            focus = .archetypes
            let index = y - layout.archetypes.y
            if index < cursor.current?.archetypes.count ?? 0 { selectArchetype(index) }
        } else if layout.table.contains(x: x, y: y), let table {
            focus = .table
            let line = y - layout.table.y - 1
            if line >= 0 { selectRow(tableState.topRow + line) }
            let offset = x - layout.table.x - TableView.idWidth(of: table) - 1
            if let place = layout.columns.first(where: { offset >= $0.x && offset < $0.x + $0.width + 1 }) { selectColumn(place.column) }
        } else if layout.inspector.contains(x: x, y: y) {
            focus = .inspector
        }
    }

    /// Keys that act on the results pane while it has the focus: Enter goes
    /// to the selected row, n and N walk the rows, w pins an aggregate, Esc
    /// closes the pane. - Returns: whether the action was taken here.
    private func performInResults(_ action: Action) -> Bool {
        switch action {
        case .toggleInspector: showResult(query?.position ?? 0)
        case .nextChange: showResult((query?.position ?? -1) + 1)
        case .previousChange: showResult((query?.position ?? 1) - 1)
        case .pinCell, .pinAggregate: pinQueryResults()
        case .clearFilter: closeResults()
        default: return false
        }
        return true
    }
}
