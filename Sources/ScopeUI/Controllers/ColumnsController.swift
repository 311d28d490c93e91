/// Columns and copying: moving between columns, hiding, widening, copying
/// a value or a row, and sorting.
enum ColumnsController: Controller {
    static let group = ActionGroup.columns

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .copyValue, .copyRow: debugger.hasRowsShown ? nil : "no rows shown"
        case .columnRight, .columnLeft, .firstColumn, .lastColumn, .hideColumn, .narrowColumn, .widenColumn, .sort:
            debugger.table == nil ? "no table shown" : nil
        case .showColumns: debugger.tableState.columnLayout.hidden.isEmpty ? "no column is hidden" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .columnRight: stepColumn(forward: true, on: debugger)
        case .columnLeft: stepColumn(forward: false, on: debugger)
        case .firstColumn:
            if let table = debugger.table, let first = debugger.tableState.columnLayout.shown(table.keys).first { debugger.selectColumn(first) }
        case .lastColumn:
            if let table = debugger.table, let last = debugger.tableState.columnLayout.shown(table.keys).last { debugger.selectColumn(last) }
        case .hideColumn: hideSelectedColumn(on: debugger)
        case .showColumns: showAllColumns(on: debugger)
        case .narrowColumn: resizeSelectedColumn(by: -2, on: debugger)
        case .widenColumn: resizeSelectedColumn(by: 2, on: debugger)
        case .copyValue: copySelection(row: false, on: debugger)
        case .copyRow: copySelection(row: true, on: debugger)
        case .sort: cycleSort(on: debugger)
        default: return false
        }
        return true
    }

    /// → and ←: the next or previous column shown.
    /// `s`: ascending on the selected column, then descending, then off.
    private static func cycleSort(on debugger: Debugger) {
        guard let key = debugger.selectedCell?.key ?? debugger.table?.keys.first else { return }
        if let problem = debugger.tableState.cycleSort(on: key, in: debugger.table) { debugger.message = (problem, true); return }
        debugger.message = (debugger.sort.map { "sorted by \($0.key) \($0.descending ? "descending" : "ascending")" } ?? "unsorted", false)
    }

    private static func stepColumn(forward: Bool, on debugger: Debugger) {
        guard let table = debugger.table else { return }
        debugger.selectColumn(debugger.tableState.columnLayout.neighbour(of: debugger.selectedColumn, in: table.keys, forward: forward))
    }

    /// `_`: hides the selected column and selects the next one shown.
    private static func hideSelectedColumn(on debugger: Debugger) {
        let selected = debugger.selectedColumn
        guard let table = debugger.table, table.keys.indices.contains(selected) else { return }
        guard debugger.tableState.columnLayout.shown(table.keys).count > 1 else {
            debugger.message = ("the last column shown stays (:show-columns shows the hidden ones)", true)
            return
        }
        let key = table.keys[selected]
        let next = debugger.tableState.columnLayout.neighbour(of: selected, in: table.keys, forward: true)
        debugger.tableState.columnLayout.hidden.insert(key)
        debugger.selectColumn(next != selected ? next : debugger.tableState.columnLayout.neighbour(of: selected, in: table.keys, forward: false))
        debugger.message = ("hid \(key); \(debugger.tableState.columnLayout.hidden.count) hidden (:show-columns shows them)", false)
    }

    /// `:show-columns`: every hidden column is shown again.
    private static func showAllColumns(on debugger: Debugger) {
        let count = debugger.tableState.columnLayout.hidden.count
        debugger.tableState.columnLayout.hidden.removeAll()
        debugger.message = (count == 0 ? "no column is hidden" : "showing \(count) hidden column\(count == 1 ? "" : "s") again", false)
    }

    /// `<` and `>`: the selected column's width, within 4 to 60 cells.
    private static func resizeSelectedColumn(by delta: Int, on debugger: Debugger) {
        let selected = debugger.selectedColumn
        guard let key = debugger.selectedCell?.key ?? debugger.table.flatMap({ $0.keys.indices.contains(selected) ? $0.keys[selected] : nil }) else { return }
        let width = max(ColumnLayout.narrowest, min(ColumnLayout.widest, debugger.tableState.columnLayout.width(of: key) + delta))
        debugger.tableState.columnLayout.widths[key] = width == ColumnLayout.standardWidth ? nil : width
        debugger.message = ("\(key) is \(width) wide", false)
    }

    /// `y` and `Y`: the selected value (exactly as stored), or the row as
    /// tab-separated id and values of the columns shown, for the front end
    /// to put on the clipboard (OSC 52).
    private static func copySelection(row: Bool, on debugger: Debugger) {
        guard let cell = debugger.selectedCell, let table = debugger.table else { debugger.message = ("nothing selected to copy", true); return }
        let text: String
        if row {
            let columns = debugger.tableState.columnLayout.shown(table.keys)
            text = ([String(cell.entity.rawValue)] + columns.map { table.columns[$0].value(at: cell.row).description }).joined(separator: "\t")
        } else {
            text = table.columns[debugger.selectedColumn].value(at: cell.row).description
        }
        debugger.clipboard = text
        debugger.message = ("copied \(row ? "row #\(cell.entity.rawValue)" : "\(cell.entity) \(cell.key) = \(text)") to the clipboard", false)
    }
}
