import PackCodec
import Timeline

/// The table as the user sees it, as CSV (`:export`): the rows shown in
/// their order (filter and sort applied), the id and the columns not
/// hidden, each value exactly as stored.
///
/// ```swift
/// let export = TableExport(table: view, state: tableState)
/// try writeFileAtomically(export.csv(), to: "view.csv")
/// ```
struct TableExport {
    let table: Session.View
    let state: TableState

    /// The field columns written after the id, in the order shown.
    var columns: [Int] { state.columnLayout.shown(table.keys) }

    /// The number of rows written after the header.
    var rowCount: Int { state.shownCount(of: table) }

    /// The header line and one line a row shown, each ending in a newline.
    func csv() -> [UInt8] {
        let columns = columns, rowCount = rowCount
        // Straight into bytes: a million rows is one buffer, no string per row.
        var bytes = Array((CSV.line(["id"] + columns.map { table.keys[$0].description }) + "\n").utf8)
        bytes.reserveCapacity(rowCount * (columns.count + 1) * 12)
        for position in 0..<rowCount {
            let row = state.row(at: position)
            bytes += String(table.ids[row].rawValue).utf8
            for column in columns {
                bytes.append(UInt8(ascii: ","))
                // Only text can hold a comma, a quote or a line break.
                switch table.columns[column].value(at: row) {
                case .string(let text): bytes += CSV.field(text).utf8
                case let value: bytes += value.description.utf8
                }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
