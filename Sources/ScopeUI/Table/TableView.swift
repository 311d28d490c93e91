import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import PackCodec

/// The struct-of-arrays table of one archetype: entity ids down the side, a
/// column per field, only the rows in view drawn. Changed cells are in the
/// changed style, spawned rows' ids in the spawned style, the selected row
/// reversed. Spawned rows' ids carry a `+`, rows moved in from another
/// archetype a `>`.
struct TableView {
    var table: Debugger.Table
    /// The rows shown and in what order, the selection and the scroll.
    var state: TableState
    var showsDiff: Bool
    var theme: Theme
    /// Values typed for the next fork, by entity and column: drawn as
    /// `*VALUE`, bold and underlined.
    var pending: [EntityID: [Int: String]] = [:]
    /// The field columns in view and where they go (``ColumnLayout/place``).
    var placed: [ColumnLayout.Placed]
    /// Whether the table has the focus (the cell cursor shows then).
    var isFocused = true

    var idWidth: Int { Self.idWidth(of: table) }

    /// Wide enough for the largest id and a spawn marker (at least 4 cells).
    static func idWidth(of table: Debugger.Table) -> Int { max(4, String(table.largestID).count + 1) }

    func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let right = area.x + area.width
        /// The cells a column placed at `x` may take: its width, cut at the area's right edge.
        func room(at x: Int, _ width: Int) -> Int { max(0, min(width, right - x)) }
        buffer.put(pad("id", idWidth), x: area.x, y: area.y, style: theme.header, limit: room(at: area.x, idWidth))
        let left = area.x + idWidth + 1
        for place in placed where room(at: left + place.x, place.width) > 0 {
            let column = place.column
            let style = column == state.selectedColumn ? Style(theme.header.foreground, on: theme.header.background, bold: true, underlined: true) : theme.header
            var name = table.keys[column].description
            if let sort = state.sort, sort.key == table.keys[column] { name = (sort.descending ? "▼" : "▲") + name }
            name = truncate(name, to: place.width)
            buffer.put(pad(name, place.width, right: true), x: left + place.x, y: area.y, style: style, limit: room(at: left + place.x, place.width))
        }
        let rows = max(0, area.height - 1)
        let total = state.shownRows?.count ?? table.ids.count
        for line in 0..<rows {
            let position = state.topRow + line
            guard position < total else { break }
            let row = state.shownRows?[position] ?? position
            let y = area.y + 1 + line
            let isSelected = position == state.selectedRow
            let isNew = showsDiff && (table.changes?.spawned.contains(row) == true || table.changes?.movedIn.contains(row) == true)
            let idStyle = isSelected ? theme.selected : (isNew ? theme.spawned : theme.dim)
            if isSelected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: theme.selected) }
            let marker = showsDiff ? (table.changes?.spawned.contains(row) == true ? "+" : table.changes?.movedIn.contains(row) == true ? ">" : "") : ""
            buffer.put(pad(marker + String(table.ids[row].rawValue), idWidth, right: true), x: area.x, y: y, style: idStyle,
                       limit: room(at: area.x, idWidth))
            for place in placed where room(at: left + place.x, place.width) > 0 {
                let column = place.column
                let isChanged = showsDiff && table.changes?.columns[column]?.contains(row) == true
                var style = isChanged ? theme.changed : (isSelected ? theme.selected : theme.base)
                // The cell cursor: the selected row's style turned inside out, in bold.
                if isSelected, column == state.selectedColumn, isFocused {
                    style.isReversed.toggle()
                    style.isBold = true
                }
                var text = ValueFormat.format(table.columns[column].value(at: row), width: place.width)
                if !pending.isEmpty, let value = pending[table.ids[row]]?[column] {
                    style = Style(style.foreground, on: style.background, bold: true, underlined: true)
                    text = "*" + truncate(value, to: place.width - 1)
                }
                buffer.put(pad(text, place.width, right: true), x: left + place.x, y: y, style: style, limit: room(at: left + place.x, place.width))
            }
        }
    }
}

/// Pads `text` with spaces to `width` cells (left-aligned unless `right`).
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let used = CellBuffer.displayWidth(of: text)
    guard used < width else { return text }
    let spaces = String(repeating: " ", count: width - used)
    return right ? spaces + text : text + spaces
}

/// `text` cut to at most `width` terminal cells, its end replaced by `…`
/// when cut; wide characters (CJK, emoji) count as two cells.
func truncate(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    // One pass: `cut` ends the longest start that leaves a cell for the `…`.
    var used = 0, cut = text.startIndex
    for index in text.indices {
        used += CellBuffer.displayWidth(of: text[index])
        if used > width { return text[..<cut] + "…" }
        if used <= width - 1 { cut = text.index(after: index) }
    }
    return text
}

/// Numbers formatted to fit their column.
enum ValueFormat {
    static func format(_ value: FieldValue, width: Int) -> String {
        switch value {
        case .float32(let v): return fit(Double(v), exact: v.description, width: width)
        case .float64(let v): return fit(v, exact: v.description, width: width)
        case .string(let s): return truncate(s, to: width)
        default: return truncate(value.description, to: width)
        }
    }

    /// The shortest exact form when it fits, else fewer significant digits,
    /// else scientific notation, cut with `…` when even that does not fit.
    static func fit(_ value: Double, exact: String, width: Int) -> String {
        if exact.count <= width { return exact }
        for digits in stride(from: 9, through: 2, by: -1) {
            let text = printed(value, "%.*g", digits: digits)
            if text.count <= width { return text }
        }
        return truncate(printed(value, "%.*e", digits: 1), to: width)
    }

    /// `value` as C's `printf` prints it with `format` (`%.*g` or `%.*e`)
    /// and `digits` of precision.
    private static func printed(_ value: Double, _ format: String, digits: Int) -> String {
        var text = [CChar](repeating: 0, count: 64)
        let count = withVaList([Int32(digits), value]) { vsnprintf(&text, text.count, format, $0) }
        return String(decoding: text.prefix(max(0, min(Int(count), text.count - 1))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
