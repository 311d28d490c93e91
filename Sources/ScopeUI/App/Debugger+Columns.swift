import FoundationEssentials
import PackCodec
import Timeline

/// Taking what is shown out of the debugger: `:export` and the clipboard
/// (the column keys themselves are ``ColumnsController``'s).
extension Debugger {
    /// `:export PATH` (`:export! PATH` replaces a file): the view as CSV,
    /// the rows shown in their order (filter and sort applied), the id and
    /// the columns not hidden, each value exactly as stored.
    func exportView(to path: String, replacing: Bool) {
        guard let table else { message = ("nothing to export", true); return }
        let trimmed = path.trimmingBlanks
        guard !trimmed.isEmpty else { message = ("export takes a file name, like :export view.csv", true); return }
        if !replacing, FileManager.default.fileExists(atPath: trimmed) {
            message = ("\(trimmed) exists; :export! \(trimmed) replaces it", true)
            return
        }
        let columns = tableState.columnLayout.shown(table.keys)
        // Straight into bytes: a million rows is one buffer, no string per row.
        var bytes = Array((CSV.line(["id"] + columns.map { table.keys[$0].description }) + "\n").utf8)
        bytes.reserveCapacity(shownCount * (columns.count + 1) * 12)
        for position in 0..<shownCount {
            let row = row(at: position)
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
        do {
            try writeFileAtomically(bytes, to: trimmed)
            message = ("wrote \(shownCount) row\(shownCount == 1 ? "" : "s") and \(columns.count + 1) columns to \(trimmed)", false)
        } catch {
            message = ("export: \(trimmed): \(error.description)", true)
        }
    }

    /// What a copy put on the clipboard since the front end last took it.
    public func takeClipboard() -> String? {
        defer { clipboard = nil }
        return clipboard
    }
}
