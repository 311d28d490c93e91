import Simulations
import Testing
@testable import ScopeUI

/// Prompts edit like a shell line: cursor keys, Home/End, Ctrl-A/E/U/W,
/// history with ↑/↓, and a long line that scrolls to keep the cursor in view.
@Suite struct LineEditorTests {
    static func typed(_ script: String, from text: String = "") throws -> LineEditor {
        var editor = LineEditor(text)
        for key in try Key.parseScript(script).get() { _ = editor.apply(key) }
        return editor
    }

    @Test("keys move the cursor and edit where it is", arguments: [
        ("a b c LEFT LEFT x", "axbc", 2),
        ("a b c HOME x END y", "xabcy", 5),
        ("a b c LEFT BACKSPACE", "ac", 1),
        ("h e l l o SPACE w o r l d LEFT LEFT LEFT CTRL-W", "hello rld", 6),
        ("h e l l o SPACE w o r l d LEFT LEFT CTRL-U", "ld", 0),
        ("a b LEFT LEFT LEFT BACKSPACE RIGHT RIGHT RIGHT c", "abc", 3),
    ])
    func editing(script: String, text: String, cursor: Int) throws {
        let editor = try Self.typed(script)
        #expect(editor.text == text && editor.cursor == cursor)
    }

    @Test("Ctrl-A and Ctrl-E go to the start and the end; control characters are not typed in")
    func controlKeys() {
        var editor = LineEditor("middle")
        _ = editor.apply(.character("\u{01}"))
        #expect(editor.cursor == 0)
        _ = editor.apply(.character("\u{05}"))
        #expect(editor.cursor == 6)
        _ = editor.apply(.character("\u{07}"))
        #expect(editor.text == "middle")
        #expect(editor.apply(.enter) == .finished && editor.apply(.escape) == .cancelled && editor.apply(.up) == .older)
    }

    @Test("a line longer than its room shows the part around the cursor, cut ends as …")
    func scrolling() {
        var editor = LineEditor("0123456789abcdefghij")
        #expect(editor.visible(in: 30) == ("0123456789abcdefghij", 20))
        #expect(editor.visible(in: 10) == ("…cdefghij", 9), "at the end: the end, and the cell after it for the cursor")
        for _ in 0..<20 { _ = editor.apply(.left) }
        #expect(editor.visible(in: 10) == ("012345678…", 0))
        for _ in 0..<10 { _ = editor.apply(.right) }
        let (shown, cell) = editor.visible(in: 10)
        #expect(shown.count <= 10 && Array(shown)[cell] == "a", "the cursor's character is in view: \(shown) \(cell)")
    }

    @Test("in the debugger: ↑ recalls the last filter, ↓ goes back to an empty line; a cursor inside the text shows reversed")
    func historyInTheDebugger() throws {
        let debugger = try FeatureTests.debugger(keys: "a / TEXT:Health.value SPACE < SPACE 0 ENTER ESC / TEXT:Age.ticks SPACE > SPACE 5 ENTER ESC")
        try FeatureTests.press("/ UP", on: debugger)
        #expect(debugger.mode == .prompt(.filter, "Age.ticks > 5"))
        try FeatureTests.press("UP", on: debugger)
        #expect(debugger.mode == .prompt(.filter, "Health.value < 0"))
        try FeatureTests.press("UP", on: debugger)
        #expect(debugger.mode == .prompt(.filter, "Health.value < 0"), "the oldest stays")
        try FeatureTests.press("DOWN DOWN", on: debugger)
        #expect(debugger.mode == .prompt(.filter, ""))
        try FeatureTests.press("UP UP HOME RIGHT RIGHT RIGHT RIGHT RIGHT RIGHT", on: debugger)
        let screen = debugger.screen(width: 100, height: 24)
        #expect(screen.lines[23].hasPrefix(" /Health.value < 0 "))
        #expect(screen[8, 23].character == "." && screen[8, 23].style.isReversed != Theme.dark.status.isReversed)
        #expect(screen[7, 23].style == Theme.dark.status)
        // The command line keeps its own history.
        try FeatureTests.press("ESC : 1 0 ENTER : UP", on: debugger)
        #expect(debugger.mode == .prompt(.command, "10"))
    }
}

extension LineEditorTests {
    @Test("wide characters: the window is measured in cells, and the prompt's reversed cursor sits on the character it is on")
    func wideCharacters() throws {
        var editor = LineEditor("名前は長いテキストです")
        for _ in 0..<20 { _ = editor.apply(.left) }
        #expect(editor.visible(in: 10) == ("名前は長…", 0), "four wide characters and the cut mark: 9 cells")
        for _ in 0..<6 { _ = editor.apply(.right) }
        let (shown, cell) = editor.visible(in: 10)
        #expect(Array(shown)[cell] == "キ" && CellBuffer.displayWidth(of: shown) <= 10, "\(shown) \(cell)")
        let debugger = try FeatureTests.debugger(keys: "a")
        try FeatureTests.press("/ TEXT:名前 HOME RIGHT", on: debugger)
        let screen = debugger.screen(width: 100, height: 24)
        #expect(screen.lines[23].hasPrefix(" /名前"), "\(screen.lines[23])")
        // " /" takes cells 0-1 and 名 cells 2-3: 前, under the cursor, starts at cell 4.
        #expect(screen[4, 23].character == "前" && screen[4, 23].style.isReversed != Theme.dark.status.isReversed)
        #expect(screen[2, 23].style.isReversed == Theme.dark.status.isReversed)
    }

    @Test("random keys agree with a plain model of a line and a cursor, and what is drawn always fits and holds the cursor", arguments: 0..<8 as Range<UInt64>)
    func randomKeys(seed: UInt64) {
        var random = SplitMix64(state: seed)
        var editor = LineEditor("start")
        var model = Array("start"), cursor = 5
        let keys: [Key] = [.left, .right, .home, .end, .backspace, .character("\u{15}"), .character("\u{17}"), .character("\u{01}"), .character("\u{05}"),
                           .character("a"), .character(" "), .character("é"), .character("長"), .character("z")]
        for _ in 0..<400 {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            _ = editor.apply(key)
            switch key {
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(model.count, cursor + 1)
            case .home, .character("\u{01}"): cursor = 0
            case .end, .character("\u{05}"): cursor = model.count
            case .backspace: if cursor > 0 { model.remove(at: cursor - 1); cursor -= 1 }
            case .character("\u{15}"): model.removeFirst(cursor); cursor = 0
            case .character("\u{17}"):
                var start = cursor
                while start > 0, model[start - 1] == " " { start -= 1 }
                while start > 0, model[start - 1] != " " { start -= 1 }
                model.removeSubrange(start..<cursor); cursor = start
            case .character(let c): model.insert(c, at: cursor); cursor += 1
            default: break
            }
            #expect(editor.text == String(model) && editor.cursor == cursor)
            for room in [2, 5, 12, 40] {
                let (shown, cell) = editor.visible(in: room)
                // In cells, with the cell after the text where the cursor sits at the end.
                #expect(CellBuffer.displayWidth(of: shown) + (cell >= shown.count ? 1 : 0) <= room && cell >= 0 && cell <= shown.count,
                        "room \(room): \(shown) \(cell)")
                if cell < shown.count, editor.cursor < editor.text.count {
                    #expect(Array(shown)[cell] == Array(editor.text)[editor.cursor], "the cursor's character is drawn under it")
                }
            }
        }
    }
}
