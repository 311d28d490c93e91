/// One line of the help overlay.
struct HelpLine: Equatable {
    enum Kind: Equatable { case heading, entry, unavailable }
    /// The keys (or `:name`), empty for a heading.
    var keys: String
    var text: String
    var kind: Kind = .entry
}

/// A box listing every key binding and every command, read from the key
/// map and the command list themselves, the actions grouped by the
/// ``Controller`` that answers them, each that cannot act here and now
/// dimmed with the reason its controller gives; j/k
/// and PgUp/PgDn scroll it, `/` narrows it to the lines that contain a word.
struct HelpOverlay {
    var keyMap: KeyMap
    /// Why an action cannot act now (``Debugger/unavailability(of:)``).
    var unavailability: (Action) -> String? = { _ in nil }
    var theme: Theme
    var scroll: Int
    /// Only lines containing this (any case) are listed; empty: all.
    var search = ""
    /// Whether the search is being typed.
    var isTypingSearch = false

    /// The lines: under each group's heading, an action's keys, its name
    /// (also its `:` command), what it does, and why it cannot act now
    /// when it cannot; then the commands; then the keys of a prompt.
    static func lines(for keyMap: KeyMap, unavailability: (Action) -> String? = { _ in nil }) -> [HelpLine] {
        var lines: [HelpLine] = []
        for group in ActionGroup.allCases {
            if !lines.isEmpty { lines.append(HelpLine(keys: "", text: "", kind: .heading)) }
            lines.append(HelpLine(keys: "", text: group.rawValue, kind: .heading))
            for action in Action.allCases where action.group == group {
                let keys = keyMap.keys(for: action).map(\.label).joined(separator: " ")
                let text = pad(action.rawValue, 19) + " " + action.summary
                if let reason = unavailability(action) {
                    lines.append(HelpLine(keys: keys.isEmpty ? ":" + action.rawValue : keys, text: text + " (now: \(reason))", kind: .unavailable))
                } else {
                    lines.append(HelpLine(keys: keys.isEmpty ? ":" + action.rawValue : keys, text: text))
                }
            }
        }
        lines.append(HelpLine(keys: "", text: "", kind: .heading))
        lines.append(HelpLine(keys: ":", text: "commands (every action above is one too, by its name):", kind: .heading))
        for command in CommandWithArgument.all { lines.append(HelpLine(keys: ":" + command.name, text: command.argument + "  " + command.summary)) }
        lines.append(HelpLine(keys: "", text: "", kind: .heading))
        lines.append(HelpLine(keys: "in a prompt", text: "← → Home End (Ctrl-A Ctrl-E) move; Backspace, Ctrl-W word, Ctrl-U to the start; ↑ ↓ history"))
        return lines
    }

    /// The entries that contain `search`, in any case (headings go).
    static func lines(for keyMap: KeyMap, unavailability: (Action) -> String?, matching search: String) -> [HelpLine] {
        let all = lines(for: keyMap, unavailability: unavailability)
        guard !search.isEmpty else { return all }
        let wanted = search.lowercased()
        return all.filter { $0.kind != .heading && ($0.keys + " " + $0.text).lowercased().contains(wanted) }
    }

    /// The rows `lines` take where an entry's text has `width` cells: a
    /// longer one goes on over the rows below it (with no keys), broken
    /// at a space and indented under the descriptions, so no description
    /// is cut off.
    static func rows(of lines: [HelpLine], textWidth width: Int) -> [HelpLine] {
        let indent = min(20, width / 3)
        guard width > indent + 10 else { return lines }
        var rows: [HelpLine] = []
        for line in lines {
            var rest = Substring(line.text), keys = line.keys, room = width
            while line.kind != .heading, CellBuffer.displayWidth(of: String(rest)) > room {
                // The longest start that fits, ending before a space when there is one.
                var end = rest.startIndex, cells = 0, lastSpace: Substring.Index?
                while end < rest.endIndex {
                    let next = cells + CellBuffer.displayWidth(of: rest[end])
                    if next > room { break }
                    if rest[end] == " ", end > rest.startIndex { lastSpace = end }
                    cells = next
                    end = rest.index(after: end)
                }
                let cut = lastSpace ?? end
                rows.append(HelpLine(keys: keys, text: (room < width ? String(repeating: " ", count: indent) : "") + rest[..<cut], kind: line.kind))
                rest = rest[cut...].drop { $0 == " " }
                keys = ""
                room = width - indent
            }
            rows.append(HelpLine(keys: keys, text: (room < width ? String(repeating: " ", count: indent) : "") + rest, kind: line.kind))
        }
        return rows
    }

    /// The width of the keys' column.
    private static let keyWidth = 16

    /// Where the box goes in `area`, the rows it lists and how many show
    /// at once (`nil`: too small an area).
    private func plan(in area: Rect) -> (box: Rect, rows: [HelpLine], shown: Int)? {
        let width = min(area.width - 2, 96)
        let rows = Self.rows(of: Self.lines(for: keyMap, unavailability: unavailability, matching: search), textWidth: width - Self.keyWidth - 4)
        let height = min(area.height - 2, max(4, rows.count + 3))
        guard width > 10, height > 3 else { return nil }
        return (Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height), rows, height - 3)
    }

    /// How far the help scrolls in `area`: the last scroll that still
    /// fills the box, and a page (the rows shown, less one kept in view).
    func scrolling(in area: Rect) -> (last: Int, page: Int) {
        guard let (_, rows, shown) = plan(in: area) else { return (0, 1) }
        return (max(0, rows.count - shown), max(1, shown - 1))
    }

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let keyWidth = Self.keyWidth
        guard let (box, lines, shown) = plan(in: area) else { return }
        let width = box.width, height = box.height
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" keys " + (search.isEmpty && !isTypingSearch ? "" : "/\(search)\(isTypingSearch ? "_" : "") "), x: box.x + 2, y: box.y, style: theme.title, limit: width - 4)
        let first = max(0, min(scroll, lines.count - shown))
        for (index, line) in lines.dropFirst(first).prefix(shown).enumerated() {
            let y = box.y + 1 + index
            if line.kind == .heading, line.keys.isEmpty {
                buffer.put(line.text, x: box.x + 2, y: y, style: theme.title, limit: width - 4)
                continue
            }
            buffer.put(pad(line.keys, keyWidth), x: box.x + 2, y: y, style: line.kind == .unavailable ? theme.dim : theme.header, limit: keyWidth)
            buffer.put(line.text, x: box.x + 3 + keyWidth, y: y, style: line.kind == .unavailable ? theme.dim : theme.base, limit: width - keyWidth - 4)
        }
        let more = first + shown < lines.count ? "j/k PgDn/PgUp scroll, " : ""
        let footer = isTypingSearch ? "type to narrow, Enter keeps it, Esc clears it"
            : lines.isEmpty ? "nothing contains \"\(search)\"; / searches again, any other key closes"
            : "\(more)/ searches, any other key closes (\(first + 1)-\(min(lines.count, first + shown)) of \(lines.count))"
        buffer.put(footer, x: box.x + 2, y: box.y + height - 2, style: theme.dim, limit: width - 4)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y + height - 1, style: theme.border)
    }
}
