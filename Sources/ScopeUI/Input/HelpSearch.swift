/// The help overlay's own state beside its scroll (which the debugger's
/// mode holds): the search that narrows it, and whether it is being typed.
/// It turns a key into where the help goes next.
public struct HelpSearch: Equatable, Sendable {
    /// Whether the search is being typed.
    public internal(set) var isTyping = false
    /// The text the help's lines must contain; empty: all lines.
    public internal(set) var text = ""

    /// Applies `key` to the help scrolled to `scroll`, which goes no
    /// further than `last` (the end of the list in view), a page at a
    /// time being `page` rows.
    /// - Returns: the scroll to show next, or `nil` when the key closes the help.
    mutating func apply(_ key: Key, scroll: Int, last: Int = .max, page: Int = 10) -> Int? {
        if isTyping {
            switch key {
            case .escape: self = HelpSearch()
            case .enter: isTyping = false
            case .backspace: text = String(text.dropLast())
            case .character(let c) where c.isLetter || c.isNumber || c.isPunctuation || c.isSymbol || c == " ": text.append(c)
            default: break
            }
            return 0
        }
        switch key {
        case .down, .character("j"): return min(last, scroll + 1)
        case .up, .character("k"): return max(0, min(last, scroll) - 1)
        case .pageDown, .character(" "): return min(last, scroll + page)
        case .pageUp: return max(0, min(last, scroll) - page)
        case .character("/"):
            self = HelpSearch(isTyping: true, text: "")
            return scroll
        default:
            self = HelpSearch()
            return nil
        }
    }
}
