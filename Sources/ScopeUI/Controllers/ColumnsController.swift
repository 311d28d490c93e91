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
        case .columnRight: debugger.stepColumn(forward: true)
        case .columnLeft: debugger.stepColumn(forward: false)
        case .firstColumn:
            if let table = debugger.table, let first = debugger.tableState.columnLayout.shown(table.keys).first { debugger.selectColumn(first) }
        case .lastColumn:
            if let table = debugger.table, let last = debugger.tableState.columnLayout.shown(table.keys).last { debugger.selectColumn(last) }
        case .hideColumn: debugger.hideSelectedColumn()
        case .showColumns: debugger.showAllColumns()
        case .narrowColumn: debugger.resizeSelectedColumn(by: -2)
        case .widenColumn: debugger.resizeSelectedColumn(by: 2)
        case .copyValue: debugger.copySelection(row: false)
        case .copyRow: debugger.copySelection(row: true)
        case .sort: debugger.cycleSort()
        default: return false
        }
        return true
    }
}
