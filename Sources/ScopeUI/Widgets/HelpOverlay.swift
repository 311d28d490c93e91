/// A box listing every key binding and every command, read from the key
/// map and the command list themselves; j/k and PgUp/PgDn scroll it, `/`
/// narrows it to the lines that contain a word.
struct HelpOverlay {
    var keyMap: KeyMap
    var theme: Theme
    var scroll: Int
    /// Only lines containing this (any case) are listed; empty: all.
    var search = ""
    /// Whether the search is being typed.
    var isTypingSearch = false

    /// The lines: an action's keys, its name (also its `:` command) and
    /// what it does; then the commands; then the keys of a prompt.
    static func lines(for keyMap: KeyMap) -> [(String, String)] {
        var lines: [(String, String)] = []
        for action in Action.allCases {
            let keys = keyMap.keys(for: action).map(\.label).joined(separator: " ")
            lines.append((keys.isEmpty ? ":" + action.rawValue : keys, pad(action.rawValue, 19) + " " + action.summary))
        }
        lines.append(("", ""))
        lines.append((":", "commands (every action above is one too, by its name):"))
        for command in CommandWithArgument.all { lines.append((":" + command.name, command.argument + "  " + command.summary)) }
        lines.append(("", ""))
        lines.append(("in a prompt", "← → Home End (Ctrl-A Ctrl-E) move; Backspace, Ctrl-W word, Ctrl-U to the start; ↑ ↓ history"))
        return lines
    }

    /// The lines that contain `search`, in any case.
    static func lines(for keyMap: KeyMap, matching search: String) -> [(String, String)] {
        let all = lines(for: keyMap)
        guard !search.isEmpty else { return all }
        let wanted = search.lowercased()
        return all.filter { ($0.0 + " " + $0.1).lowercased().contains(wanted) }
    }

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let lines = Self.lines(for: keyMap, matching: search)
        let width = min(area.width - 2, 96), height = min(area.height - 2, max(4, lines.count + 3))
        guard width > 10, height > 3 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" keys " + (search.isEmpty && !isTypingSearch ? "" : "/\(search)\(isTypingSearch ? "_" : "") "), x: box.x + 2, y: box.y, style: theme.title, limit: width - 4)
        let shown = height - 3
        let first = max(0, min(scroll, lines.count - shown))
        let keyWidth = 16
        for (index, (keys, description)) in lines.dropFirst(first).prefix(shown).enumerated() {
            buffer.put(pad(keys, keyWidth), x: box.x + 2, y: box.y + 1 + index, style: theme.header, limit: keyWidth)
            buffer.put(description, x: box.x + 3 + keyWidth, y: box.y + 1 + index, style: theme.base, limit: width - keyWidth - 4)
        }
        let more = first + shown < lines.count ? "j/k PgDn/PgUp scroll, " : ""
        let footer = isTypingSearch ? "type to narrow, Enter keeps it, Esc clears it"
            : lines.isEmpty ? "nothing contains \"\(search)\"; / searches again, any other key closes"
            : "\(more)/ searches, any other key closes (\(first + 1)-\(min(lines.count, first + shown)) of \(lines.count))"
        buffer.put(footer, x: box.x + 2, y: box.y + height - 2, style: theme.dim, limit: width - 4)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y + height - 1, style: theme.border)
    }
}
