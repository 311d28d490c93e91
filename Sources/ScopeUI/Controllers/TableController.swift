import PackCodec

/// The table and its panes: rows, pages, the focused pane, archetypes and
/// going to an entity. The row keys move in whichever pane has the focus.
enum TableController: Controller {
    static let group = ActionGroup.table

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .rowDown, .rowUp, .pageDown, .pageUp, .firstRow, .lastRow, .gotoEntity: debugger.hasRowsShown ? nil : "no rows shown"
        case .nextArchetype, .previousArchetype: (debugger.cursor.current?.archetypes.count ?? 0) < 2 ? "only one archetype" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .rowDown: move(by: 1, on: debugger)
        case .rowUp: move(by: -1, on: debugger)
        case .pageDown: move(by: debugger.tableState.visibleRows, on: debugger)
        case .pageUp: move(by: -debugger.tableState.visibleRows, on: debugger)
        case .firstRow: move(by: -Int(Int32.max), on: debugger)
        case .lastRow: move(by: Int(Int32.max), on: debugger)
        case .nextPane, .previousPane:
            let panes: [Debugger.Pane] = [.archetypes, .table] + (debugger.showsInspector ? [.inspector] : []) + (debugger.showsResults ? [.results] : [])
            let index = panes.firstIndex(of: debugger.focus) ?? 1
            debugger.focus = panes[(index + (action == .nextPane ? 1 : panes.count - 1)) % panes.count]
        case .nextArchetype: debugger.selectArchetype(debugger.archetypeIndex + 1)
        case .previousArchetype: debugger.selectArchetype(debugger.archetypeIndex - 1)
        case .gotoEntity: debugger.mode = .prompt(.entity, "")
        default: return false
        }
        return true
    }

    /// The row keys move in the focused pane: archetypes, the inspector's
    /// fields, the results' rows or the table's.
    private static func move(by delta: Int, on debugger: Debugger) {
        switch debugger.focus {
        case .archetypes: debugger.selectArchetype(debugger.archetypeIndex + max(-1, min(1, delta)))
        case .inspector: debugger.selectColumn(debugger.selectedColumn + max(-1, min(1, delta)))
        case .results: debugger.query?.move(by: delta)
        case .table: debugger.selectRow(Int(max(Int64(Int.min / 2), min(Int64(Int.max / 2), Int64(debugger.selectedRow) + Int64(delta)))))
        }
    }

    /// `#`: selects an entity by id, in whichever archetype it is.
    static func gotoEntity(_ text: String, on debugger: Debugger) {
        guard let raw = UInt64(text.trimmingBlanks) else { debugger.message = ("an entity id is a number", true); return }
        let id = EntityID(raw)
        guard let checkpoint = debugger.cursor.current else { return }
        var order = Array(checkpoint.archetypes.indices)
        order.removeAll { $0 == debugger.archetypeIndex }
        order.insert(debugger.archetypeIndex, at: 0)
        for index in order {
            let ids: [EntityID]
            if index == debugger.archetypeIndex, let table = debugger.table { ids = table.ids } else {
                do { ids = try debugger.store.entities(checkpoint.archetypes[index].entities, label: "entity ids of \(checkpoint.id)") } catch {
                    debugger.message = (error.description, true); return
                }
            }
            guard let row = ids.firstIndex(of: id) else { continue }
            if index != debugger.archetypeIndex { debugger.selectArchetype(index) }
            guard let position = debugger.tableState.shownRows == nil ? row : debugger.tableState.shownRows!.firstIndex(of: row) else {
                debugger.message = ("entity \(raw) is hidden by the filter", true); return
            }
            if debugger.focus != .results { debugger.focus = .table }
            debugger.selectRow(position)
            return
        }
        debugger.message = ("no entity \(raw) at \(checkpoint.id)", true)
    }
}
