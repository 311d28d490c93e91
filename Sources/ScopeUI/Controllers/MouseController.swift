/// The mouse: a click seeks on the timeline or the change strip, selects
/// an archetype or a cell, or focuses the inspector, by where the last
/// render put things (``Layout``); the wheel scrolls the rows.
enum MouseController {
    /// A click: on the timeline or change strip seeks, in the archetype
    /// list selects, in the table selects the cell; the wheel scrolls.
    static func click(x: Int, y: Int, button: MouseButton, on debugger: Debugger) {
        if debugger.mode != .normal { debugger.mode = .normal }
        switch button {
        case .wheelUp: debugger.selectRow(debugger.selectedRow - 3); return
        case .wheelDown: debugger.selectRow(debugger.selectedRow + 3); return
        case .left: break
        }
        switch debugger.layout.target(atX: x, y: y, checkpoints: debugger.cursor.checkpoints.count, idWidth: debugger.table.map(TableView.idWidth(of:))) {
        case .checkpoint(let index):
            debugger.session.cursor.seek(toIndex: index)
            debugger.reload()
        case .archetype(let index):
            debugger.focus = .archetypes
            if index < debugger.cursor.current?.archetypes.count ?? 0 { debugger.selectArchetype(index) }
        case .table(let line, let column):
            debugger.focus = .table
            if let line { debugger.selectRow(debugger.tableState.topRow + line) }
            if let column { debugger.selectColumn(column) }
        case .inspector:
            debugger.focus = .inspector
        case nil:
            break
        }
    }
}
