/// A key press, as the UI understands it (a backend translates terminal
/// input into these; tests and `--keys` scripts make them directly).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    /// A mouse button or wheel at a cell.
    case mouse(x: Int, y: Int, button: MouseButton)

    /// Parses a `--keys` script: tokens separated by spaces, each a single
    /// character or a name (`SPACE`, `ENTER`, `ESC`, `TAB`, `UP`, `DOWN`,
    /// `LEFT`, `RIGHT`, `PGUP`, `PGDN`, `HOME`, `END`, `BACKSPACE`, `BTAB`),
    /// `CLICK:X,Y` for a left click at a cell, or `TEXT:chars` for each of
    /// the characters after the colon in turn (`TEXT:Health.value<0`; a
    /// space is its own `SPACE` token).
    /// - Returns: the keys, or the first token that is neither.
    public static func parseScript(_ script: String) -> Result<[Key], ScriptError> {
        var keys: [Key] = []
        for token in script.split(separator: " ") {
            let named: [String: Key] = [
                "SPACE": .character(" "), "ENTER": .enter, "ESC": .escape, "TAB": .tab, "UP": .up, "DOWN": .down,
                "LEFT": .left, "RIGHT": .right, "PGUP": .pageUp, "PGDN": .pageDown, "HOME": .home, "END": .end,
                "BACKSPACE": .backspace, "BTAB": .backTab, "CTRL-U": .character("\u{15}"), "CTRL-W": .character("\u{17}"),
            ]
            if let key = named[String(token)] {
                keys.append(key)
            } else if token.hasPrefix("CLICK:"), let (x, y) = Self.coordinates(token.dropFirst(6)) {
                keys.append(.mouse(x: x, y: y, button: .left))
            } else if token.hasPrefix("TEXT:"), token.count > 5 {
                keys += token.dropFirst(5).map { .character($0) }
            } else if token.count == 1 {
                keys.append(.character(token.first!))
            } else {
                return .failure(ScriptError(token: String(token)))
            }
        }
        return .success(keys)
    }

    /// `X,Y` of a `CLICK:X,Y` token.
    private static func coordinates(_ text: Substring) -> (Int, Int)? {
        let parts = text.split(separator: ",").compactMap { Int($0) }
        return parts.count == 2 && parts.allSatisfy { $0 >= 0 } ? (parts[0], parts[1]) : nil
    }

    /// The name a `--keys` script or a keys file uses for this key.
    public var scriptName: String? {
        switch self {
        case .character(" "): "SPACE"
        case .character("\u{15}"): "CTRL-U"
        case .character("\u{17}"): "CTRL-W"
        case .character(let c): String(c)
        case .up: "UP"
        case .down: "DOWN"
        case .left: "LEFT"
        case .right: "RIGHT"
        case .pageUp: "PGUP"
        case .pageDown: "PGDN"
        case .home: "HOME"
        case .end: "END"
        case .enter: "ENTER"
        case .escape: "ESC"
        case .tab: "TAB"
        case .backTab: "BTAB"
        case .backspace: "BACKSPACE"
        case .mouse: nil
        }
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
        case .backTab: "S-Tab"
        case .mouse(let x, let y, _): "click \(x),\(y)"
        case .backspace: "Backspace"
        }
    }
}

/// A `--keys` token that names no key.
public struct ScriptError: Error, Equatable, CustomStringConvertible {
    public var token: String
    public init(token: String) { self.token = token }
    public var description: String { "unknown key \"\(token)\" in --keys (single characters, SPACE ENTER ESC TAB BTAB UP DOWN LEFT RIGHT PGUP PGDN HOME END BACKSPACE, CLICK:X,Y or TEXT:chars)" }
}

/// Which mouse button, or a wheel turn.
public enum MouseButton: Hashable, Sendable { case left, wheelUp, wheelDown }
