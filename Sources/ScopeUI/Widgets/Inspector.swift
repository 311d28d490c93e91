import PackCodec
import Timeline

/// The selected entity: every field of its components (changed ones in
/// the changed style, the selected one marked), then the selected field's
/// history over the timeline as a sparkline with its minimum and maximum.
struct Inspector {
    var table: Debugger.Table
    var row: Int
    var selectedColumn: Int
    var history: Series?
    var position: Int
    var isFocused: Bool
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width >= 12, area.height >= 3 else { return }
        buffer.fill(area, style: theme.base)
        for y in area.y..<(area.y + area.height) { buffer.put(String(theme.box.vertical), x: area.x, y: y, style: isFocused ? theme.title : theme.border) }
        let x = area.x + 2, width = area.width - 3
        var y = area.y
        let id = table.ids[row]
        var heading = "entity \(id)"
        if table.changes?.spawned.contains(row) == true { heading += " (spawned)" }
        if table.changes?.movedIn.contains(row) == true { heading += " (moved in)" }
        buffer.put(heading, x: x, y: y, style: theme.title, limit: width)
        y += 1
        let labelWidth = min(table.keys.map { $0.description.count }.max() ?? 8, width / 2)
        // Fields, scrolled so the selected one shows; leave room for the history.
        let room = max(1, area.height - 5)
        let first = max(0, min(selectedColumn - room / 2, table.keys.count - room))
        for column in table.keys.indices.dropFirst(first).prefix(room) {
            let changed = table.changes?.columns[column]?.contains(row) == true
            var style = changed ? theme.changed : theme.base
            if column == selectedColumn { style = theme.selected }
            buffer.fill(Rect(x: x, y: y, width: width, height: 1), style: column == selectedColumn ? theme.selected : theme.base)
            buffer.put(pad(table.keys[column].description, labelWidth), x: x, y: y, style: column == selectedColumn ? theme.selected : theme.header, limit: labelWidth)
            let value = ValueFormat.format(table.columns[column].value(at: row), width: width - labelWidth - 1)
            buffer.put(value, x: x + labelWidth + 1, y: y, style: style, limit: width - labelWidth - 1)
            y += 1
        }
        guard table.keys.indices.contains(selectedColumn) else { return }
        y = area.y + area.height - 3
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: x, y: y, style: theme.border)
        // The subject named in full: whose field this history is.
        buffer.put(" #\(table.ids[row].rawValue) \(table.keys[selectedColumn]) over time ", x: x + 1, y: y, style: theme.header, limit: width - 2)
        guard let history else { return }
        let values = history.values + Array(repeating: nil, count: history.checkpoints.count - history.values.count)
        LevelRow(levels: LevelRow.scaled(values), theme: theme, style: theme.title).render(in: Rect(x: x - 1, y: y + 1, width: width + 2, height: 1), into: &buffer)
        let known = history.values.compactMap { $0 }.filter { !$0.isNaN }
        var line: String
        if !history.isComplete {
            line = "reading \(history.values.count)/\(history.checkpoints.count)…"
        } else if let low = known.min(), let high = known.max() {
            line = "min \(ValueFormat.fit(low, exact: String(low), width: 10))  max \(ValueFormat.fit(high, exact: String(high), width: 10))"
        } else {
            line = "no numbers to draw"
        }
        if history.texts.indices.contains(position), let now = history.texts[position] { line += "  now \(now)" }
        buffer.put(line, x: x, y: y + 2, style: theme.dim, limit: width)
    }
}
