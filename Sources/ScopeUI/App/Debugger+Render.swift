import PackCodec
import Timeline

extension Debugger {
    /// Draws the whole screen into `buffer`: lays it out first (the only
    /// step that changes anything: the page size, the columns in view, the
    /// change strip's cache, where things are for clicks), then draws from
    /// the state and that layout alone.
    public func render(into buffer: inout CellBuffer) {
        layOut(width: buffer.width, height: buffer.height)
        draw(into: &buffer)
    }

    /// Where every part of a `width`×`height` screen goes, and what the
    /// table can show there.
    func layOut(width: Int, height: Int) {
        var next = Layout()
        next.size = (width, height)
        guard width >= 20, height >= 6 else { layout = next; return }
        // The timeline, the change strip and the watches share one scale,
        // after a gutter of labels on screens wide enough for it.
        next.gutter = width >= 60 ? 10 : 0
        let barWidth = width - next.gutter
        next.timeline = Rect(x: next.gutter, y: 1, width: barWidth, height: 1)
        var y = 2
        if height >= 12 {
            next.strip = Rect(x: next.gutter, y: y, width: barWidth, height: 1)
            if let checkpoint = cursor.current, checkpoint.archetypes.indices.contains(archetypeIndex) {
                next.stripLevels = changeStripLevels(of: checkpoint.archetypes[archetypeIndex].signature)
            }
            y += 1
            if lifeline != nil, height >= 14 {
                next.lifeline = Rect(x: next.gutter, y: y, width: barWidth, height: 1)
                y += 1
            }
            next.watchesShown = min(watches.count, max(0, (height - 12 - (lifeline == nil ? 0 : 1)) / 3))
            next.watchesTop = y
            y += next.watchesShown
        }
        next.summaryY = y
        y += 1
        // Archetypes on the left, the table, the inspector on the right.
        next.listWidth = min(26, max(14, width / 4))
        // The results pane takes the bottom of the body, up to half of it.
        let resultsHeight = showsResults ? max(2, min((height - y - 1) / 2, queryResults.count + 1, 10)) : 0
        let bodyTop = y, bodyHeight = height - bodyTop - 1 - resultsHeight
        if resultsHeight >= 2 { next.results = Rect(x: 0, y: height - 1 - resultsHeight, width: width, height: resultsHeight) }
        next.archetypes = Rect(x: 0, y: bodyTop, width: next.listWidth - 1, height: bodyHeight)
        let inspectorWidth = showsInspector && table != nil && shownCount > 0 ? min(44, max(26, width / 3)) : 0
        next.table = Rect(x: next.listWidth, y: bodyTop, width: width - next.listWidth - inspectorWidth, height: bodyHeight)
        next.inspector = Rect(x: width - inspectorWidth, y: bodyTop, width: inspectorWidth, height: bodyHeight)
        tableState.setVisibleRows(bodyHeight - 1)
        if let table {
            // Keep the selected column in view, then place the columns from there.
            let room = next.table.width - TableView.idWidth(of: table) - 1
            tableState.keepSelectedColumnInView(keys: table.keys, room: room)
            next.columns = tableState.columnLayout.place(table.keys, from: tableState.leftColumn, in: room)
        }
        layout = next
    }

    /// Draws the screen the last ``layOut(width:height:)`` planned,
    /// changing nothing (``DebuggerView``).
    func draw(into buffer: inout CellBuffer) {
        DebuggerView(debugger: self).draw(into: &buffer)
    }

    /// The change strip for `components` along the timeline, computed again
    /// only when the timeline or the archetype changed.
    private func changeStripLevels(of components: ArchetypeSignature) -> [Double?] {
        let timeline = cursor.checkpoints.map(\.id)
        if let cached = changeStrip, cached.components == components, cached.timeline == timeline { return cached.levels }
        let levels = ChangeStrip.levels(of: components, along: cursor.checkpoints)
        changeStrip = (timeline, components, levels)
        return levels
    }

    /// Renders a screen of `width`×`height` and returns it.
    public func screen(width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        render(into: &buffer)
        // --ascii: not one character outside ASCII, whatever the data or a message holds.
        if theme.box == .ascii { buffer.makeASCII() }
        return buffer
    }
}
