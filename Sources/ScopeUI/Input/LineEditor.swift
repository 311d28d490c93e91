/// A one-line text field edited as a shell line is: ←/→ and Home/End (or
/// Ctrl-A/Ctrl-E) move the cursor, Backspace deletes before it, Ctrl-U
/// clears the line and Ctrl-W deletes the word before the cursor,
/// characters go in at the cursor, ↑/↓ ask for older and newer history.
public struct LineEditor: Equatable, Sendable {
    /// The text typed so far.
    public private(set) var text: String
    /// How many characters are before the cursor (`text.count`: at the end).
    public private(set) var cursor: Int

    /// What a key did.
    public enum Outcome: Equatable, Sendable { case editing, finished, cancelled, older, newer }

    /// A field holding `text`, the cursor at its end.
    public init(_ text: String) {
        self.text = text
        cursor = text.count
    }

    /// A field holding `text` with the cursor before character `cursor`
    /// (kept inside the text; `nil`: at its end).
    public init(_ text: String, cursor: Int?) {
        self.text = text
        self.cursor = min(max(0, cursor ?? text.count), text.count)
    }

    static let controlA: Character = "\u{01}", controlE: Character = "\u{05}", controlU: Character = "\u{15}", controlW: Character = "\u{17}"

    /// Applies one key.
    public mutating func apply(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .enter: return .finished
        case .up: return .older
        case .down: return .newer
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .character(Self.controlA): cursor = 0
        case .end, .character(Self.controlE): cursor = text.count
        case .backspace:
            guard cursor > 0 else { break }
            replace(cursor - 1..<cursor, with: "")
        case .character(Self.controlU):
            replace(0..<cursor, with: "")
        case .character(Self.controlW):
            let before = Array(text.prefix(cursor))
            var start = before.count
            while start > 0, before[start - 1] == " " { start -= 1 }
            while start > 0, before[start - 1] != " " { start -= 1 }
            replace(start..<cursor, with: "")
        case .character(let c) where !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false):
            replace(cursor..<cursor, with: String(c))
        default: break
        }
        return .editing
    }

    /// Replaces the characters in `range` (offsets) and leaves the cursor
    /// after the replacement.
    private mutating func replace(_ range: Range<Int>, with new: String) {
        let start = text.index(text.startIndex, offsetBy: range.lowerBound), end = text.index(text.startIndex, offsetBy: range.upperBound)
        text.replaceSubrange(start..<end, with: new)
        cursor = range.lowerBound + new.count
    }

    /// The part of the line to draw in `room` cells, keeping the cursor in
    /// view (a cut is shown as `…`), and the index of the cursor's character
    /// within it (its length when the cursor is after the last character).
    /// Widths are terminal cells (``CellBuffer/displayWidth(of:)``): a CJK
    /// character takes two.
    public func visible(in room: Int) -> (text: String, cursor: Int) {
        let characters = Array(text)
        let widths = characters.map(CellBuffer.displayWidth(of:))
        // Cells for every character and one after the last, where the cursor may sit.
        guard widths.reduce(0, +) + 1 > room, room > 1 else { return (text, cursor) }
        let count = characters.count
        // What must show: up to the cursor's character, or the cell after the last.
        let mustEnd = min(count, cursor + 1)
        func cells(_ start: Int, _ end: Int, trailing: Bool) -> Int {
            (start > 0 ? 1 : 0) + widths[start..<end].reduce(0, +) + (end < count && trailing ? 1 : 0) + (end == count && cursor == count ? 1 : 0)
        }
        var trailing = true
        var start = 0
        while start < cursor, cells(start, mustEnd, trailing: trailing) > room { start += 1 }
        if cells(start, mustEnd, trailing: trailing) > room {
            // Too narrow for both cut marks: keep the leading one only.
            trailing = false
            start = 0
            while start < cursor, cells(start, mustEnd, trailing: false) > room { start += 1 }
        }
        if cells(start, mustEnd, trailing: false) > room {
            // Too narrow for any cut mark: the cursor's character alone.
            return (String(characters[cursor..<mustEnd]), 0)
        }
        var end = mustEnd
        while end < count, cells(start, end + 1, trailing: trailing) <= room { end += 1 }
        let lead = start > 0 ? "…" : "", tail = end < count && trailing ? "…" : ""
        return (lead + String(characters[start..<end]) + tail, lead.count + cursor - start)
    }
}

/// What was typed into each kind of prompt, oldest first, for ↑ and ↓.
struct PromptHistory {
    private var lines: [String: [String]] = [:]
    /// The line being recalled, counted from the oldest.
    private(set) var position: Int?

    /// Keeps a finished line (not a blank one or a repeat of the last).
    mutating func add(_ line: String, for kind: String) {
        position = nil
        guard !line.trimmingBlanks.isEmpty, lines[kind]?.last != line else { return }
        lines[kind, default: []].append(line)
    }

    /// The line before (older) or after (newer) the one recalled; past the
    /// newest, the empty line.
    mutating func recall(older: Bool, for kind: String) -> String? {
        let kept = lines[kind] ?? []
        guard !kept.isEmpty else { return nil }
        let current = position ?? kept.count
        let next = older ? max(0, current - 1) : current + 1
        if next >= kept.count { position = nil; return older ? nil : "" }
        position = next
        return kept[next]
    }

    /// Forgets which line was being recalled (a new prompt opened).
    mutating func reset() { position = nil }
}
