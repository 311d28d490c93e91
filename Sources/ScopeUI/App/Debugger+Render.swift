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

    /// Where every part of a `width`×`height` screen goes (``Layout``),
    /// and what the table can show there: its page of rows, the columns
    /// in view, the change strip's levels.
    func layOut(width: Int, height: Int) {
        var next = Layout(width: width, height: height, hasLifeline: lifeline != nil, watches: watches.count,
                          results: showsResults ? queryResults.count : nil, showsInspector: showsInspector && table != nil && shownCount > 0)
        if next.strip.height > 0, let checkpoint = cursor.current, checkpoint.archetypes.indices.contains(archetypeIndex) {
            next.stripLevels = changeStripLevels(of: checkpoint.archetypes[archetypeIndex].signature)
        }
        guard next.isPlaced else { layout = next; return }
        tableState.setVisibleRows(next.table.height - 1)
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
