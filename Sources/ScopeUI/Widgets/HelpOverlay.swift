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

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let lines = Self.lines(for: keyMap, unavailability: unavailability, matching: search)
        let width = min(area.width - 2, 96), height = min(area.height - 2, max(4, lines.count + 3))
        guard width > 10, height > 3 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" keys " + (search.isEmpty && !isTypingSearch ? "" : "/\(search)\(isTypingSearch ? "_" : "") "), x: box.x + 2, y: box.y, style: theme.title, limit: width - 4)
        let shown = height - 3
        let first = max(0, min(scroll, lines.count - shown))
        let keyWidth = 16
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
