import Foundation
import PackCodec
import Timeline

/// The table's columns (hide, show, widths, stepping over hidden ones) and
/// taking what is shown out of the debugger: the clipboard and `:export`.
extension Debugger {
    /// → and ←: the next or previous column shown.
    func stepColumn(forward: Bool) {
        guard let table else { return }
        selectColumn(tableState.columnLayout.neighbour(of: selectedColumn, in: table.keys, forward: forward))
    }

    /// `_`: hides the selected column and selects the next one shown.
    func hideSelectedColumn() {
        guard let table, table.keys.indices.contains(selectedColumn) else { return }
        guard tableState.columnLayout.shown(table.keys).count > 1 else { message = ("the last column shown stays (:show-columns shows the hidden ones)", true); return }
        let key = table.keys[selectedColumn]
        let next = tableState.columnLayout.neighbour(of: selectedColumn, in: table.keys, forward: true)
        tableState.columnLayout.hidden.insert(key)
        selectColumn(next != selectedColumn ? next : tableState.columnLayout.neighbour(of: selectedColumn, in: table.keys, forward: false))
        message = ("hid \(key); \(tableState.columnLayout.hidden.count) hidden (:show-columns shows them)", false)
    }

    /// `:show-columns`: every hidden column is shown again.
    func showAllColumns() {
        let count = tableState.columnLayout.hidden.count
        tableState.columnLayout.hidden.removeAll()
        message = (count == 0 ? "no column is hidden" : "showing \(count) hidden column\(count == 1 ? "" : "s") again", false)
    }

    /// `<` and `>`: the selected column's width, within 4 to 60 cells.
    func resizeSelectedColumn(by delta: Int) {
        guard let key = selectedCell?.key ?? table.flatMap({ $0.keys.indices.contains(selectedColumn) ? $0.keys[selectedColumn] : nil }) else { return }
        let width = max(ColumnLayout.narrowest, min(ColumnLayout.widest, tableState.columnLayout.width(of: key) + delta))
        tableState.columnLayout.widths[key] = width == ColumnLayout.standardWidth ? nil : width
        message = ("\(key) is \(width) wide", false)
    }

    /// `y` and `Y`: the selected value (exactly as stored), or the row as
    /// tab-separated id and values of the columns shown, for the front end
    /// to put on the clipboard (OSC 52).
    func copySelection(row: Bool) {
        guard let cell = selectedCell, let table else { message = ("nothing selected to copy", true); return }
        let text: String
        if row {
            let columns = tableState.columnLayout.shown(table.keys)
            text = ([String(cell.entity.rawValue)] + columns.map { table.columns[$0].value(at: cell.row).description }).joined(separator: "\t")
        } else {
            text = table.columns[selectedColumn].value(at: cell.row).description
        }
        clipboard = text
        message = ("copied \(row ? "row #\(cell.entity.rawValue)" : "\(cell.entity) \(cell.key) = \(text)") to the clipboard", false)
    }

    /// `:export PATH` (`:export! PATH` replaces a file): the view as CSV,
    /// the rows shown in their order (filter and sort applied), the id and
    /// the columns not hidden, each value exactly as stored.
    func exportView(to path: String, replacing: Bool) {
        guard let table else { message = ("nothing to export", true); return }
        let trimmed = path.trimmingCharacters(in: .whitespaces)
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

    /// `%`: the selected column's distribution at the checkpoint shown,
    /// against the same column of the same archetype at the diff base.
    func showDistribution() {
        guard let table, table.keys.indices.contains(selectedColumn), let checkpoint = cursor.current else { return }
        let column = table.columns[selectedColumn], key = table.keys[selectedColumn]
        guard column.type.width != nil else { message = ("\(key) is text: a distribution is of numbers", true); return }
        let rows = (0..<shownCount).map { self.row(at: $0) }
        let here = Distribution(rows.map { column.value(at: $0).number ?? .nan })
        let label = filterText == nil ? checkpoint.id.description : "\(checkpoint.id) filtered"
        var base: (String, Distribution)?
        if showsDiff, let previous = session.baseCheckpoint, previous.id != checkpoint.id {
            let components = checkpoint.archetypes[table.archetype].signature
            if let archetype = previous.archetype(components), archetype.columns.indices.contains(selectedColumn) {
                do {
                    let values = try store.column(archetype.columns[selectedColumn], label: "\(key) of \(previous.id)")
                    base = (previous.id.description, Distribution((0..<values.count).map { values.value(at: $0).number ?? .nan }))
                } catch {
                    message = (error.description, true)
                }
            }
        }
        mode = .distribution(DistributionView(column: key.description, here: (label, here), base: base))
    }
}
