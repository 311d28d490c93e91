import PackCodec
import Timeline

/// The debugger's screen, drawn from its state and the layout its last
/// `layOut(width:height:)` made (the one step that changes anything: page
/// size, columns in view, the change strip's cache, click areas). Drawing
/// reads and never writes: the title, the timeline with its strip, lane and
/// watches, the summary, the archetype list, the table and the inspector
/// (``Widget``s each in their rectangle), the results pane, the status line
/// and any overlay.
///
/// ```swift
/// debugger.layOut(width: 120, height: 40)
/// var buffer = CellBuffer(width: 120, height: 40)
/// DebuggerView(debugger: debugger).draw(into: &buffer)
/// ```
struct DebuggerView {
    /// What is drawn.
    let debugger: Debugger

    /// Draws the screen the debugger's last `layOut(width:height:)`
    /// planned, changing nothing.
    func draw(into buffer: inout CellBuffer) {
        let width = buffer.width, height = buffer.height
        buffer.fill(Rect(x: 0, y: 0, width: width, height: height), style: debugger.theme.base)
        guard width >= 20, height >= 6, debugger.layout.size == (width, height) else {
            buffer.put("window too small", x: 0, y: 0, style: debugger.theme.error)
            return
        }
        buffer.put(titleLine(width: width), x: 0, y: 0, style: debugger.theme.title)
        let gutter = debugger.layout.gutter
        func label(_ text: String, _ y: Int) { if gutter > 0 { buffer.put(text, x: 0, y: y, style: debugger.theme.dim, limit: gutter - 1) } }
        label("timeline", 1)
        TimelineBar(cursor: debugger.cursor, forkPoints: Set(debugger.store.branches.compactMap(\.forkedFrom)), marks: debugger.marks.marks, damaged: Set(debugger.damaged.keys), theme: debugger.theme)
            .render(in: debugger.layout.timeline, into: &buffer)
        if debugger.layout.strip.height > 0 {
            label("changes", debugger.layout.strip.y)
            if let levels = debugger.layout.stripLevels {
                LevelRow(levels: levels, theme: debugger.theme, style: debugger.theme.changed.foreground == .default ? debugger.theme.base : Style(debugger.theme.changed.background))
                    .render(in: debugger.layout.strip, into: &buffer)
            }
        }
        if let lifeline = debugger.lifeline, debugger.layout.lifeline.height > 0 {
            let y = debugger.layout.lifeline.y
            label("#\(lifeline.entity.rawValue) life", y)
            LifelineRow(lifeline: lifeline, theme: debugger.theme).render(in: debugger.layout.lifeline, into: &buffer)
            let tag = " \(lifeline.summary) ", room = min(width / 3, tag.count)
            buffer.put(tag.count > room ? String(tag.prefix(room - 1)) + "…" : tag, x: width - room, y: y, style: debugger.theme.dim)
        }
        for (index, watch) in debugger.watches.prefix(debugger.layout.watchesShown).enumerated() {
            let y = debugger.layout.watchesTop + index
            label(watch.label, y)
            let values = watch.values + Array(repeating: nil, count: watch.checkpoints.count - watch.values.count)
            LevelRow(levels: LevelRow.scaled(values), theme: debugger.theme, style: debugger.theme.header).render(in: Rect(x: gutter, y: y, width: width - gutter, height: 1), into: &buffer)
            // The subject in full and its value here, at the right end.
            let now = watch.values.indices.contains(debugger.cursor.position) ? watch.texts[debugger.cursor.position] ?? "-" : "…"
            let tag = " \(watch.subject) \(now) "
            let room = min(width / 3, tag.count)
            buffer.put(tag.count > room ? String(tag.prefix(room - 1)) + "…" : tag, x: width - room, y: y, style: debugger.theme.dim)
        }
        buffer.put(summaryLine, x: 0, y: debugger.layout.summaryY, style: debugger.filterText == nil && debugger.sort == nil && debugger.pendingEdits.isEmpty ? debugger.theme.dim : debugger.theme.header)
        if debugger.layout.results.height >= 2, let query = debugger.query {
            ResultsPane(results: query, isFocused: debugger.focus == .results, theme: debugger.theme).render(in: debugger.layout.results, into: &buffer)
        }
        let listWidth = debugger.layout.listWidth, bodyTop = debugger.layout.archetypes.y, bodyHeight = debugger.layout.archetypes.height
        if let checkpoint = debugger.cursor.current {
            ArchetypeList(archetypes: checkpoint.archetypes, selected: debugger.archetypeIndex, isFocused: debugger.focus == .archetypes, theme: debugger.theme)
                .render(in: debugger.layout.archetypes, into: &buffer)
        }
        for line in bodyTop..<(bodyTop + bodyHeight) { buffer.put(String(debugger.theme.box.vertical), x: listWidth - 1, y: line, style: debugger.focus == .archetypes ? debugger.theme.title : debugger.theme.border) }
        if let table = debugger.table {
            TableView(table: table, state: debugger.tableState, showsDiff: debugger.showsDiff, theme: debugger.theme, pending: debugger.pendingCells,
                      placed: debugger.layout.columns, isFocused: debugger.focus == .table).render(in: debugger.layout.table, into: &buffer)
            if debugger.layout.inspector.width > 0 {
                Inspector(table: table, row: debugger.row(at: debugger.selectedRow), selectedColumn: debugger.selectedColumn, history: debugger.history, position: debugger.cursor.position,
                          isFocused: debugger.focus == .inspector, theme: debugger.theme).render(in: debugger.layout.inspector, into: &buffer)
            }
        } else if let id = debugger.cursor.current?.id, let problem = debugger.damaged[id] {
            buffer.put("\(id) cannot be read: \(problem)", x: debugger.layout.table.x + 1, y: debugger.layout.table.y, style: debugger.theme.error, limit: debugger.layout.table.width - 1)
            buffer.put("the other checkpoints are not affected; h/l step over it, `tickscope verify` names every damaged block",
                       x: debugger.layout.table.x + 1, y: debugger.layout.table.y + 1, style: debugger.theme.dim, limit: debugger.layout.table.width - 1)
        } else {
            buffer.put("nothing to show", x: debugger.layout.table.x + 1, y: debugger.layout.table.y, style: debugger.theme.dim)
        }
        let (status, statusStyle, cursorX) = statusLine(width: width)
        buffer.fill(Rect(x: 0, y: height - 1, width: width, height: 1), style: statusStyle)
        buffer.put(status, x: 0, y: height - 1, style: statusStyle)
        // A cursor inside the typed text: that character in reverse.
        if let x = cursorX, x < width {
            buffer[x, height - 1].style.isReversed.toggle()
        }
        if case .branches(let selected, let confirming) = debugger.mode {
            BranchList(lines: BranchList.lines(of: debugger.store), selected: selected, current: debugger.branch, confirmingDelete: confirming, theme: debugger.theme)
                .render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
        if case .distribution(let view) = debugger.mode {
            DistributionOverlay(view: view, theme: debugger.theme).render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
        if case .help(let scroll) = debugger.mode {
            Self.help(of: debugger, scroll: scroll).render(in: Rect(x: 0, y: 0, width: width, height: height), into: &buffer)
        }
    }

    /// The help overlay as `debugger` shows it, scrolled to `scroll`.
    static func help(of debugger: Debugger, scroll: Int) -> HelpOverlay {
        HelpOverlay(keyMap: debugger.keyMap, unavailability: { debugger.unavailability(of: $0) }, theme: debugger.theme, scroll: scroll,
                    search: debugger.helpSearch.text, isTypingSearch: debugger.helpSearch.isTyping)
    }

    /// Where we are: recording, branch, checkpoint, tick, time, position.
    /// A long recording name gives way (its end is kept) so the position
    /// always shows.
    private func titleLine(width: Int) -> String {
        var place = "  branch \(debugger.branch)"
        if let checkpoint = debugger.cursor.current {
            place += "  \(checkpoint.id) tick \(checkpoint.tick)  time \(checkpoint.worldTime)  [\(debugger.cursor.position + 1)/\(debugger.cursor.checkpoints.count)]"
        } else {
            place += "  (no checkpoints)"
        }
        var extra = ""
        if let name = debugger.cursor.current?.info.name, !name.isEmpty { extra += "  \"\(name)\"" }
        if debugger.isPlaying { extra += "  ▶ \(debugger.playback.speedLabel)/s" }
        if debugger.isFollowing && debugger.playback.hasGrown { extra += "  following" }
        if debugger.store.isEncrypted { extra += "  encrypted" }
        var name = debugger.title
        let room = width - " tickscope  ".count - place.count
        if name.count > room { name = room > 1 ? "…" + String(name.suffix(room - 1)) : "" }
        return " tickscope  \(name)" + place + extra
    }

    /// The filter, the sort, the edits and the diff summary.
    private var summaryLine: String {
        var parts: [String] = []
        if let filterText = debugger.filterText, let table = debugger.table { parts.append("filter \(filterText): \(debugger.tableState.shownRows?.count ?? 0) of \(table.ids.count)") }
        if let sort = debugger.sort { parts.append("sort \(sort.key) \(sort.descending ? "desc" : "asc")") }
        if !debugger.pendingEdits.isEmpty { parts.append("\(debugger.pendingEdits.count) edit\(debugger.pendingEdits.count == 1 ? "" : "s") for fork: " + debugger.pendingEdits.map(\.text).joined(separator: ", ")) }
        parts.append(debugger.table?.summary ?? "")
        return " " + parts.joined(separator: "  |  ")
    }

    /// A running search, a prompt, a message, or the keys that matter here;
    /// and where a prompt's cursor is inside its text, if it is.
    private func statusLine(width: Int) -> (String, Style, cursorX: Int?) {
        if let progress = debugger.jobProgress { return (progress, debugger.theme.status, nil) }
        switch debugger.mode {
        case .prompt(let prompt, let typed):
            let label: String
            switch prompt {
            case .command: label = ":"
            case .filter: label = "/"
            case .entity: label = "entity id: "
            case .forkName: label = "fork \(debugger.cursor.current?.id.description ?? "") as branch: "
            case .renameBranch(let old): label = "rename \(old) to: "
            case .editValue: label = "\(debugger.selectedCell.map { "\($0.entity) \($0.key)" } ?? "") = "
            case .markNote(let letter): label = "note for mark \(letter): "
            case .resume: label = "run: "
            }
            let hint = prompt == .command ? "(Tab completes, Enter runs, Esc cancels)" : prompt == .resume ? "(Enter runs, Esc cancels)" : "(Enter, Esc cancels)"
            // A long line scrolls to keep the cursor in view; at the end the cursor is `_`.
            let editor = LineEditor(typed, cursor: debugger.prompting.cursor)
            // Positions are in cells: a CJK character is two.
            let labelCells = CellBuffer.displayWidth(of: label as String)
            let room = width - 1 - labelCells - (width >= 60 ? hint.count + 2 : 0)
            let (shown, cursorIndex) = room > 1 ? editor.visible(in: room) : ("", 0)
            let line = shown + (cursorIndex >= shown.count ? "_" : "")
            let cursorX = editor.cursor < editor.text.count ? 1 + labelCells + CellBuffer.displayWidth(of: String(shown.prefix(cursorIndex))) : nil
            return (" \(label)\(line)" + String(repeating: " ", count: max(0, room - CellBuffer.displayWidth(of: line))) + (width >= 60 ? "  \(hint)" : ""), debugger.theme.status, cursorX)
        case .markLetter(let use):
            let verb = use == .set ? "mark this checkpoint as" : use == .jump ? "go to mark" : "diff against mark (- for the previous checkpoint)"
            let known = debugger.marks.marks.map { String($0.letter) }.joined()
            return (" \(verb): type a letter" + (known.isEmpty ? "" : " (set: \(known))"), debugger.theme.status, nil)
        case .normal, .help, .distribution, .branches:
            break
        }
        if let message = debugger.message { return (" " + message.text, message.isError ? debugger.theme.error : debugger.theme.status, nil) }
        if let run = debugger.resumeRun, run.isRunning { return (" " + run.status, debugger.theme.status, nil) }
        let hints: String
        switch debugger.focus {
        case .archetypes: hints = " j/k archetype  Tab table  h/l step"
        case .inspector: hints = " j/k field  [ ] prev/next change  w pin  Tab archetypes"
        case .results: hints = " j/k row  Enter go  n/N walk" + (debugger.query?.isAggregate == true ? "  w pin" : "") + "  Esc close  Tab archetypes"
        case .table: hints = " h/l step  j/k rows  a archetype  / filter  s sort  n/N change  Enter inspect  f fork  : command"
        }
        // Where the selection is, and help and quit, always; the hints get what is left.
        var place = ""
        if let cell = debugger.selectedCell { place = "  row \(debugger.selectedRow + 1) of \(debugger.shownCount)  \(cell.key)" }
        let always = place + "  ? help  q quit "
        let room = width - always.count
        let shown = hints.count <= room ? hints + String(repeating: " ", count: room - hints.count) : String(hints.prefix(max(0, room - 1))) + (room > 0 ? "…" : "")
        return (shown + always, debugger.theme.status, nil)
    }
}
