import Foundation
import PackCodec
import ScopeUI
import Testing
import Timeline

/// Screens read straight from the cell grid, on the shipped ecosystem sample.
@Suite struct ScreenTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleWorlds/ecosystem").path

    static func debugger(keys: String = "", at: String? = nil) throws -> Debugger {
        let debugger = try Debugger(store: CheckpointStore.open(sample), title: "ecosystem")
        if let at { try debugger.seek(to: at) }
        for key in try Key.parseScript(keys).get() { debugger.handle(key) }
        return debugger
    }

    @Test("the first screen at 80x24: title, timeline, archetypes, table header and key hints")
    func firstScreen() throws {
        let screen = try Self.debugger().screen(width: 80, height: 24)
        let lines = screen.lines
        #expect(lines[0].hasPrefix(" tickscope  ecosystem  branch main  c1 tick 0  time 0.0  [1/201]"))
        #expect(lines[1] == "├●" + String(repeating: "─", count: 77) + "┤")
        #expect(lines[2].hasPrefix(" first checkpoint: nothing to compare"))
        #expect(lines[3].hasPrefix("    250 Position+E…│id     Position.x   Position.y Energy.value    Age.ticks"))
        #expect(lines[4].hasPrefix("     80 Position+E…│   0 "))
        #expect(lines[23].hasPrefix(" h/l step  H/L x10"))
        #expect(screen[20, 4].style == Theme.dark.selected, "the first row is selected")
    }

    @Test("at tick 100, n jumps to a changed row, and changed cells are highlighted")
    func diffHighlighting() throws {
        let debugger = try Self.debugger(keys: "TAB n", at: "100")
        let screen = debugger.screen(width: 120, height: 40)
        #expect(screen.lines[2].hasPrefix(" vs c100: 6 spawned, 6 despawned, 1 moved, 567 cells"))
        let highlighted = (0..<screen.height).flatMap { y in (0..<screen.width).map { (x: $0, y: y) } }
            .filter { screen[$0.x, $0.y].style == Theme.dark.changed }
        #expect(!highlighted.isEmpty)
        // Pressing d turns highlighting off.
        debugger.handle(.character("d"))
        let plain = debugger.screen(width: 120, height: 40)
        #expect(!plain.cells.contains { $0.style == Theme.dark.changed })
        #expect(plain.lines[2].hasPrefix(" diff off (d)"))
    }

    @Test("the README's claim: at tick 100 entity 265's Health shows -140.0, highlighted")
    func entity265() throws {
        let debugger = try Self.debugger(keys: "TAB", at: "100")
        let screen = debugger.screen(width: 100, height: 40)
        let row = try #require(screen.lines.firstIndex { $0.contains("│ 265 ") })
        #expect(screen.lines[row].contains("-140.0"))
        let x = try #require(screen.lines[row].range(of: "-140.0").map { screen.lines[row].distance(from: screen.lines[row].startIndex, to: $0.lowerBound) })
        #expect(screen[x, row].style == Theme.dark.changed)
    }

    @Test("/ filters the table and counts the matches; an unknown field is an error line")
    func filterScreen() throws {
        let debugger = try Self.debugger(keys: "TAB / H e a l t h . v a l u e SPACE < SPACE 0 ENTER", at: "100")
        let lines = debugger.screen(width: 100, height: 12).lines
        #expect(lines[2].hasPrefix(" filter Health.value < 0: 1 of 116  |"))
        #expect(lines[4].contains("│ 265 ") && lines[4].contains("-140.0"))
        #expect(lines[5].hasSuffix("│" + String(repeating: " ", count: 75)))
        for key in try Key.parseScript("/ BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE BACKSPACE ENTER").get() {
            debugger.handle(key)
        }
        #expect(debugger.screen(width: 100, height: 12).lines[2].hasPrefix(" vs c100"), "an empty filter clears it")
        for key in try Key.parseScript("/ N o p e . x SPACE < SPACE 1 ENTER").get() { debugger.handle(key) }
        #expect(debugger.screen(width: 100, height: 12).lines[11].hasPrefix(" filter: this archetype has no Nope.x"))
    }

    @Test("the help overlay lists every binding from the key map")
    func help() throws {
        let text = try Self.debugger(keys: "?").screen(width: 100, height: 40).text
        for binding in KeyMap.standard.bindings { #expect(text.contains(binding.description), "\(binding.description)") }
        #expect(text.contains("any key closes this"))
    }

    @Test("go to a tick by typing it")
    func gotoTick() throws {
        let typing = try Self.debugger(keys: ": 1 2")
        #expect(typing.screen(width: 80, height: 24).lines[23].hasPrefix(" go to tick: 12"))
        typing.handle(.enter)
        #expect(typing.screen(width: 80, height: 24).lines[0].contains("c13 tick 12"))
    }

    @Test("stepping moves the timeline marker; a stray key is an error line, not a crash")
    func stepAndError() throws {
        let debugger = try Self.debugger(keys: "G")
        #expect(debugger.screen(width: 80, height: 24).lines[1].hasSuffix("●┤"))
        debugger.handle(.character("z"))
        let screen = debugger.screen(width: 80, height: 24)
        #expect(screen.lines[23].hasPrefix(" no key z; ? lists them"))
        #expect(screen[1, 23].style == Theme.dark.error)
        debugger.handle(.character("l"))
        #expect(debugger.screen(width: 80, height: 24).lines[23].hasPrefix(" at the last checkpoint"))
    }

    @Test("any size renders without crashing, down to a message when too small", arguments: [(160, 48), (80, 24), (40, 10), (20, 6), (19, 5), (1, 1), (0, 0)])
    func sizes(width: Int, height: Int) throws {
        let debugger = try Self.debugger(keys: "TAB j j PGDN RIGHT RIGHT RIGHT", at: "150")
        let screen = debugger.screen(width: width, height: height)
        if width >= 20 && height >= 6 {
            #expect(screen.lines[0].hasPrefix(String(" tickscope".prefix(width))))
        } else if width > 0 && height > 0 {
            #expect(screen.text.hasPrefix(String("window too small".prefix(width))))
        }
    }

    @Test("NO_COLOR's monochrome theme uses no colours; --ascii draws no box characters")
    func monochromeAndASCII() throws {
        let debugger = try Debugger(store: CheckpointStore.open(Self.sample), title: "ecosystem", theme: Theme.monochrome.ascii)
        let screen = debugger.screen(width: 80, height: 24)
        #expect(screen.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "…" })
    }

    @Test("--keys scripts parse names and refuse unknown tokens")
    func keyScripts() throws {
        #expect(try Key.parseScript("l SPACE ENTER PGDN x").get() == [.character("l"), .character(" "), .enter, .pageDown, .character("x")])
        #expect(throws: ScriptError(token: "SPACEBAR")) { try Key.parseScript("l SPACEBAR").get() }
    }
}
