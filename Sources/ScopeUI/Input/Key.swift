/// A key press, as the UI understands it (a backend translates terminal
/// input into these; tests and `--keys` scripts make them directly).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backspace

    /// Parses a `--keys` script: tokens separated by spaces, each a single
    /// character or a name (`SPACE`, `ENTER`, `ESC`, `TAB`, `UP`, `DOWN`,
    /// `LEFT`, `RIGHT`, `PGUP`, `PGDN`, `HOME`, `END`, `BACKSPACE`).
    /// - Returns: the keys, or the first token that is neither.
    public static func parseScript(_ script: String) -> Result<[Key], ScriptError> {
        var keys: [Key] = []
        for token in script.split(separator: " ") {
            let named: [String: Key] = [
                "SPACE": .character(" "), "ENTER": .enter, "ESC": .escape, "TAB": .tab, "UP": .up, "DOWN": .down,
                "LEFT": .left, "RIGHT": .right, "PGUP": .pageUp, "PGDN": .pageDown, "HOME": .home, "END": .end,
                "BACKSPACE": .backspace,
            ]
            if let key = named[String(token)] {
                keys.append(key)
            } else if token.count == 1 {
                keys.append(.character(token.first!))
            } else {
                return .failure(ScriptError(token: String(token)))
            }
        }
        return .success(keys)
    }

    /// The key as the help overlay shows it.
    public var label: String {
        switch self {
        case .character(" "): "space"
        case .character(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backspace: "Backspace"
        }
    }
}

/// A `--keys` token that names no key.
public struct ScriptError: Error, Equatable, CustomStringConvertible {
    public var token: String
    public init(token: String) { self.token = token }
    public var description: String { "unknown key \"\(token)\" in --keys (single characters, or SPACE ENTER ESC TAB UP DOWN LEFT RIGHT PGUP PGDN HOME END BACKSPACE)" }
}
