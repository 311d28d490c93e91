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
    /// changing nothing.
    func draw(into buffer: inout CellBuffer) {
        let width = buffer.width, height = buffer.height
        buffer.fill(Rect(x: 0, y: 0, width: width, height: height), style: theme.base)
        guard width >= 20, height >= 6, layout.size == (width, height) else {
            buffer.put("window too small", x: 0, y: 0, style: theme.error)
            return
        }
        buffer.put(titleLine(width: width), x: 0, y: 0, style: theme.title)
        let gutter = layout.gutter
        func label(_ text: String, _ y: Int) { if gutter > 0 { buffer.put(text, x: 0, y: y, style: theme.dim, limit: gutter - 1) } }
        label("timeline", 1)
        TimelineBar(cursor: cursor, forkPoints: Set(store.branches.compactMap(\.forkedFrom)), marks: marks.marks, damaged: Set(damaged.keys), theme: theme)
            .render(in: layout.timeline, into: &buffer)
        if layout.strip.height > 0 {
            label("changes", layout.strip.y)
            if let levels = layout.stripLevels {
                LevelRow(levels: levels, theme: theme, style: theme.changed.foreground == .default ? theme.base : Style(theme.changed.background))
                    .render(in: layout.strip, into: &buffer)
            }
        }
        if let lifeline, layout.lifeline.height > 0 {
            let y = layout.lifeline.y
            label("#\(lifeline.entity.rawValue) life", y)
            LifelineRow(lifeline: lifeline, theme: theme).render(in: layout.lifeline, into: &buffer)
            let tag = " \(lifeline.summary) ", room = min(width / 3, tag.count)
            buffer.put(tag.count > room ? String(tag.prefix(room - 1)) + "…" : tag, x: width - room, y: y, style: theme.dim)
        }
        for (index, watch) in watches.prefix(layout.watchesShown).enumerated() {
            let y = layout.watchesTop + index
            label(watch.label, y)
            let values = watch.values + Array(repeating: nil, count: watch.checkpoints.count - watch.values.count)
            LevelRow(levels: LevelRow.scaled(values), theme: theme, style: theme.header).render(in: Rect(x: gutter, y: y, width: width - gutter, height: 1), into: &buffer)
            // The subject in full and its value here, at the right end.
            let now = watch.values.indices.contains(cursor.position) ? watch.texts[cursor.position] ?? "-" : "…"
            let tag = " \(watch.subject) \(now) "
            let room = min(width / 3, tag.count)
            buffer.put(tag.count > room ? String(tag.prefix(room - 1)) + "…" : tag, x: width - room, y: y, style: theme.dim)
        }
        buffer.put(summaryLine, x: 0, y: layout.summaryY, style: filterText == nil && sort == nil && pendingEdits.isEmpty ? theme.dim : theme.header)
        if layout.results.height >= 2, let query {
            ResultsPane(results: query, isFocused: focus == .results, theme: theme).render(in: layout.results, into: &buffer)
        }
        let listWidth = layout.listWidth, bodyTop = layout.archetypes.y, bodyHeight = layout.archetypes.height
        if let checkpoint = cursor.current {
            for (index, archetype) in checkpoint.archetypes.enumerated().prefix(bodyHeight) {
                var names = archetype.signature.description
                if names.isEmpty { names = "(no components)" }
                let room = listWidth - 9
                // Too long: each component by its first three letters (Pos+Vel+Hea), or two, so archetypes stay told apart.
                for letters in [3, 2] where names.count > room {
                    names = archetype.components.map { String($0.name.prefix(letters)) }.joined(separator: "+")
                }
                if names.count > room { names = String(names.prefix(room - 1)) + "…" }
                let label = pad(String(archetype.entityCount), 7, right: true) + " " + names
                let style = index == archetypeIndex ? (focus == .archetypes ? theme.selected : theme.header) : theme.base
                buffer.fill(Rect(x: 0, y: bodyTop + index, width: listWidth - 1, height: 1), style: style)
                buffer.put(label, x: 0, y: bodyTop + index, style: style, limit: listWidth - 1)
            }
        }
        for line in bodyTop..<(bodyTop + bodyHeight) { buffer.put(String(theme.box.vertical), x: listWidth - 1, y: line, style: focus == .archetypes ? theme.title : theme.border) }
        if let table {
            TableView(table: table, state: tableState, showsDiff: showsDiff, theme: theme, pending: pendingCells,
                      placed: layout.columns, isFocused: focus == .table).render(in: layout.table, into: &buffer)
            if layout.inspector.width > 0 {
                Inspector(table: table, row: row(at: selectedRow), selectedColumn: selectedColumn, history: history, position: cursor.position,
                          isFocused: focus == .inspector, theme: theme).render(in: layout.inspector, into: &buffer)
            }
        } else if let id = cursor.current?.id, let problem = damaged[id] {
            buffer.put("\(id) cannot be read: \(problem)", x: layout.table.x + 1, y: layout.table.y, style: theme.error, limit: layout.table.width - 1)
            buffer.put("the other checkpoints are not affected; h/l step over it, `tickscope verify` names every damaged block",
                       x: layout.table.x + 1, y: layout.table.y + 1, style: theme.dim, limit: layout.table.width - 1)
        } else {
            buffer.put("nothing to show", x: layout.table.x + 1, y: layout.table.y, style: theme.dim)
        }
        let (status, statusStyle, cursorX) = statusLine(width: width)
        buffer.fill(Rect(x: 0, y: height - 1, width: width, height: 1), style: statusStyle)
        buffer.put(status, x: 0, y: height - 1, style: statusStyle)
        // A cursor inside the typed text: that character in reverse.
        if let x = cursorX, x < width {
            buffer[x, height - 1].style.isReversed.toggle()
        }
        if case .branches(let selected, let confirming) = mode {
            BranchList(lines: BranchList.lines(of: store), selected: selected, current: branch, confirmingDelete: confirming, theme: theme)
                .render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
        if case .distribution(let view) = mode {
            DistributionOverlay(view: view, theme: theme).render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
        if case .help(let scroll) = mode {
            HelpOverlay(keyMap: keyMap, unavailability: { self.unavailability(of: $0) }, theme: theme, scroll: scroll, search: helpSearch.text,
                        isTypingSearch: helpSearch.isTyping).render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
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

    /// Where we are: recording, branch, checkpoint, tick, time, position.
    /// A long recording name gives way (its end is kept) so the position
    /// always shows.
    private func titleLine(width: Int) -> String {
        var place = "  branch \(branch)"
        if let checkpoint = cursor.current {
            place += "  \(checkpoint.id) tick \(checkpoint.tick)  time \(checkpoint.worldTime)  [\(cursor.position + 1)/\(cursor.checkpoints.count)]"
        } else {
            place += "  (no checkpoints)"
        }
        var extra = ""
        if let name = cursor.current?.info.name, !name.isEmpty { extra += "  \"\(name)\"" }
        if isPlaying { extra += "  ▶ \(playback.speedLabel)/s" }
        if isFollowing && playback.hasGrown { extra += "  following" }
        if store.isEncrypted { extra += "  encrypted" }
        var name = self.title
        let room = width - " tickscope  ".count - place.count
        if name.count > room { name = room > 1 ? "…" + String(name.suffix(room - 1)) : "" }
        return " tickscope  \(name)" + place + extra
    }

    /// The filter, the sort, the edits and the diff summary.
    private var summaryLine: String {
        var parts: [String] = []
        if let filterText, let table { parts.append("filter \(filterText): \(tableState.shownRows?.count ?? 0) of \(table.ids.count)") }
        if let sort { parts.append("sort \(sort.key) \(sort.descending ? "desc" : "asc")") }
        if !pendingEdits.isEmpty { parts.append("\(pendingEdits.count) edit\(pendingEdits.count == 1 ? "" : "s") for fork: " + pendingEdits.map(\.text).joined(separator: ", ")) }
        parts.append(table?.summary ?? "")
        return " " + parts.joined(separator: "  |  ")
    }

    /// A running search, a prompt, a message, or the keys that matter here;
    /// and where a prompt's cursor is inside its text, if it is.
    private func statusLine(width: Int) -> (String, Style, cursorX: Int?) {
        if let jobProgress { return (jobProgress, theme.status, nil) }
        switch mode {
        case .prompt(let prompt, let typed):
            let label: String
            switch prompt {
            case .command: label = ":"
            case .filter: label = "/"
            case .entity: label = "entity id: "
            case .forkName: label = "fork \(cursor.current?.id.description ?? "") as branch: "
            case .renameBranch(let old): label = "rename \(old) to: "
            case .editValue: label = "\(selectedCell.map { "\($0.entity) \($0.key)" } ?? "") = "
            case .markNote(let letter): label = "note for mark \(letter): "
            case .resume: label = "run: "
            }
            let hint = prompt == .command ? "(Tab completes, Enter runs, Esc cancels)" : prompt == .resume ? "(Enter runs, Esc cancels)" : "(Enter, Esc cancels)"
            // A long line scrolls to keep the cursor in view; at the end the cursor is `_`.
            let editor = LineEditor(typed, cursor: prompting.cursor)
            // Positions are in cells: a CJK character is two.
            let labelCells = CellBuffer.displayWidth(of: label as String)
            let room = width - 1 - labelCells - (width >= 60 ? hint.count + 2 : 0)
            let (shown, cursorIndex) = room > 1 ? editor.visible(in: room) : ("", 0)
            let line = shown + (cursorIndex >= shown.count ? "_" : "")
            let cursorX = editor.cursor < editor.text.count ? 1 + labelCells + CellBuffer.displayWidth(of: String(shown.prefix(cursorIndex))) : nil
            return (" \(label)\(line)" + String(repeating: " ", count: max(0, room - CellBuffer.displayWidth(of: line))) + (width >= 60 ? "  \(hint)" : ""), theme.status, cursorX)
        case .markLetter(let use):
            let verb = use == .set ? "mark this checkpoint as" : use == .jump ? "go to mark" : "diff against mark (- for the previous checkpoint)"
            let known = marks.marks.map { String($0.letter) }.joined()
            return (" \(verb): type a letter" + (known.isEmpty ? "" : " (set: \(known))"), theme.status, nil)
        case .normal, .help, .distribution, .branches:
            break
        }
        if let message { return (" " + message.text, message.isError ? theme.error : theme.status, nil) }
        if let run = resumeRun, run.isRunning { return (" " + run.status, theme.status, nil) }
        let hints: String
        switch focus {
        case .archetypes: hints = " j/k archetype  Tab table  h/l step"
        case .inspector: hints = " j/k field  [ ] prev/next change  w pin  Tab archetypes"
        case .results: hints = " j/k row  Enter go  n/N walk" + (query?.isAggregate == true ? "  w pin" : "") + "  Esc close  Tab archetypes"
        case .table: hints = " h/l step  j/k rows  a archetype  / filter  s sort  n/N change  Enter inspect  f fork  : command"
        }
        // Where the selection is, and help and quit, always; the hints get what is left.
        var place = ""
        if let cell = selectedCell { place = "  row \(selectedRow + 1) of \(shownCount)  \(cell.key)" }
        let always = place + "  ? help  q quit "
        let room = width - always.count
        let shown = hints.count <= room ? hints + String(repeating: " ", count: room - hints.count) : String(hints.prefix(max(0, room - 1))) + (room > 0 ? "…" : "")
        return (shown + always, theme.status, nil)
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
