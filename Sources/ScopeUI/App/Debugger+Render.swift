import PackCodec
import Timeline

extension Debugger {
    /// Draws the whole screen into `buffer`.
    public func render(into buffer: inout CellBuffer) {
        let width = buffer.width, height = buffer.height
        buffer.fill(Rect(x: 0, y: 0, width: width, height: height), style: theme.base)
        guard width >= 20, height >= 6 else {
            buffer.put("window too small", x: 0, y: 0, style: theme.error)
            return
        }
        // Title: where we are.
        var title = " tickscope  \(self.title)  branch \(branch)"
        if let checkpoint = cursor.current {
            title += "  \(checkpoint.id) tick \(checkpoint.tick)  time \(checkpoint.worldTime)  [\(cursor.position + 1)/\(cursor.checkpoints.count)]"
        } else {
            title += "  (no checkpoints)"
        }
        buffer.put(title, x: 0, y: 0, style: theme.title)
        // Timeline with fork points.
        let forks = Set(store.branches.compactMap(\.forkedFrom))
        TimelineBar(cursor: cursor, forkPoints: forks, theme: theme).render(in: Rect(x: 0, y: 1, width: width, height: 1), into: &buffer)
        // Filter and diff summary.
        var summary = " " + (table?.summary ?? "")
        if let filterText, let table {
            summary = " filter \(filterText): \(shownRows?.count ?? 0) of \(table.ids.count)  |" + summary
        }
        buffer.put(summary, x: 0, y: 2, style: filterText == nil ? theme.dim : theme.header)
        // Archetypes on the left.
        let listWidth = min(26, max(14, width / 4))
        let bodyTop = 3, bodyHeight = height - bodyTop - 1
        if let checkpoint = cursor.current {
            for (index, archetype) in checkpoint.archetypes.enumerated().prefix(bodyHeight) {
                var names = archetype.components.map(\.name).joined(separator: "+")
                if names.isEmpty { names = "(no components)" }
                let room = listWidth - 9
                if names.count > room { names = String(names.prefix(room - 1)) + "…" }
                let label = pad(String(archetype.entityCount), 7, right: true) + " " + names
                let style = index == archetypeIndex ? theme.selected : theme.base
                buffer.fill(Rect(x: 0, y: bodyTop + index, width: listWidth - 1, height: 1), style: style)
                buffer.put(label, x: 0, y: bodyTop + index, style: style, limit: listWidth - 1)
            }
        }
        for y in bodyTop..<(bodyTop + bodyHeight) { buffer.put(String(theme.box.vertical), x: listWidth - 1, y: y, style: theme.border) }
        // The table.
        let tableArea = Rect(x: listWidth, y: bodyTop, width: width - listWidth, height: bodyHeight)
        setVisibleRows(bodyHeight - 1)
        if let table {
            // Keep the selected column in view, then draw with the result.
            setVisibleColumns(TableView.columnsThatFit(width: tableArea.width, idWidth: TableView.idWidth(of: table)))
            TableView(table: table, topRow: topRow, selectedRow: selectedRow, leftColumn: leftColumn,
                      selectedColumn: selectedColumn, showsDiff: showsDiff, shownRows: shownRows, theme: theme).render(in: tableArea, into: &buffer)
        } else {
            buffer.put("nothing to show", x: tableArea.x + 1, y: tableArea.y, style: theme.dim)
        }
        // Status line: a message, the tick being typed, or the keys that matter.
        let statusStyle: Style
        let status: String
        if case .gotoTick(let typed) = mode {
            status = " go to tick: \(typed)_  (Enter to go, Esc to cancel)"
            statusStyle = theme.status
        } else if case .filter(let typed) = mode {
            status = " /\(typed)_  (Enter to filter, empty to clear, Esc to cancel)"
            statusStyle = theme.status
        } else if let message {
            status = " " + message.text
            statusStyle = message.isError ? theme.error : theme.status
        } else {
            status = " h/l step  H/L x10  j/k rows  Tab archetype  / filter  d diff  n next change  : tick  b branch  ? help  q quit"
            statusStyle = theme.status
        }
        buffer.fill(Rect(x: 0, y: height - 1, width: width, height: 1), style: statusStyle)
        buffer.put(status, x: 0, y: height - 1, style: statusStyle)
        if mode == .help {
            HelpOverlay(keyMap: keyMap, theme: theme).render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
    }

    /// Renders a screen of `width`×`height` and returns it.
    public func screen(width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        render(into: &buffer)
        return buffer
    }
}
