import PackCodec
import Timeline

/// The last `:query`'s rows under the table: checkpoint, tick, entity and
/// the named values, the selected row highlighted, scrolled to keep it in
/// view.
struct ResultsPane {
    var results: QueryResults
    var isFocused: Bool
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let title = results.text, valueNames = results.valueNames, rows = results.rows
        let selected = results.position, isAggregate = results.isAggregate
        guard area.height >= 2, area.width >= 10 else { return }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: isFocused ? theme.title : theme.header)
        let keys = isFocused ? "  Enter go  n/N walk" + (isAggregate ? "  w pin" : "") + "  Esc close" : "  Tab here"
        buffer.put(" query \(title): \(rows.count) row\(rows.count == 1 ? "" : "s")" + keys, x: area.x, y: area.y,
                   style: isFocused ? theme.title : theme.header, limit: area.width)
        let room = area.height - 1
        let first = max(0, min(selected - room / 2, rows.count - room))
        let names = valueNames.joined(separator: "  ")
        for (line, index) in (first..<min(rows.count, first + room)).enumerated() {
            let row = rows[index]
            let values = zip(valueNames, row.values).map { "\($0) \($1)" }.joined(separator: "  ")
            let text = " " + pad(row.checkpoint.description, 7) + pad("tick \(row.tick)", 12)
                + pad(row.entity.map { "#\($0.rawValue)" } ?? "", 9) + (values.isEmpty ? names : values)
            let style = index == selected ? (isFocused ? theme.selected : theme.header) : theme.base
            let y = area.y + 1 + line
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style)
            buffer.put(text, x: area.x, y: y, style: style, limit: area.width)
        }
    }
}
