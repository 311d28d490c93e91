import Foundation
import PackCodec
@testable import ScopeUI
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

    @Test("the first screen at 80x24: title, timeline, change strip, archetypes, table header and key hints")
    func firstScreen() throws {
        let screen = try Self.debugger().screen(width: 80, height: 24)
        let lines = screen.lines
        #expect(lines[0].hasPrefix(" tickscope  ecosystem  branch main  c1 tick 0  time 0.0  [1/201]"))
        #expect(lines[1] == "timeline  ├●" + String(repeating: "─", count: 67) + "┤")
        #expect(lines[2].hasPrefix("changes    ") && lines[2].contains("█"))
        #expect(lines[3].hasPrefix(" first checkpoint: nothing to compare"))
        // Archetype names too long for the list are abbreviated component by component, so they stay distinct.
        #expect(lines[4].hasPrefix("    250 Po+En+Ag+Di│id     Position.x   Position.y Energy.value    Age.ticks"), "\(lines[4])")
        #expect(lines[5].hasPrefix("     80 Po+En+He+A…│   0 "), "\(lines[5])")
        #expect(lines[23].hasPrefix(" h/l step  j/k rows  a archetype"))
        // Where the selection is, help and quit always show, whatever the width.
        #expect(lines[23].hasSuffix("…  row 1 of 250  Position.x  ? help  q quit "), "\(lines[23])")
        for width in [60, 100, 200] {
            let status = try Self.debugger().screen(width: width, height: 24).lines[23]
            #expect(status.count == width && status.hasSuffix("  row 1 of 250  Position.x  ? help  q quit "), "\(status)")
        }
        #expect(screen[20, 5].style == Theme.dark.selected, "the first row is selected")
        #expect(screen[11, 1].style == Theme.dark.title, "the marker")
    }

    @Test("the same screen at 160x48 shows more columns and rows")
    func wideScreen() throws {
        let lines = try Self.debugger().screen(width: 160, height: 48).lines
        #expect(lines[1].hasPrefix("timeline  ├") && lines[1].hasSuffix("┤") && lines[1].count == 160)
        #expect(lines[4].contains("Position.x") && lines[4].contains("Diet.kind"))
        #expect(lines[46].range(of: #"^ +│ +\d+ +\d"#, options: .regularExpression) != nil, "42 rows of the first archetype fit")
    }

    @Test("at tick 100 the summary counts this archetype's changes; n jumps to a changed row, highlighted")
    func diffHighlighting() throws {
        let debugger = try Self.debugger(keys: "a n", at: "100")
        let screen = debugger.screen(width: 120, height: 40)
        #expect(screen.lines[3].hasPrefix(" vs c100: 6 spawned, 0 despawned, 0 moved in, 1 out, 442 cells (Position.x 110, Position.y 110,"))
        let changedCells = screen.cells.filter { $0.style == Theme.dark.changed }
        #expect(!changedCells.isEmpty)
        // Spawned rows carry a + in the spawned style.
        debugger.handle(.end)
        let end = debugger.screen(width: 120, height: 40)
        let spawned = try #require(end.lines.firstIndex { $0.contains("│+") })
        #expect(end[end.lines[spawned].distance(from: end.lines[spawned].startIndex, to: end.lines[spawned].firstIndex(of: "+")!), spawned].style != Theme.dark.base)
        debugger.handle(.character("d"))
        let plain = debugger.screen(width: 120, height: 40)
        #expect(!plain.cells.contains { $0.style == Theme.dark.changed })
        #expect(plain.lines[3].hasPrefix(" diff off (d)"))
    }

    @Test("the README's claim: at tick 100 entity 265's Health shows -140.0, highlighted")
    func entity265() throws {
        let debugger = try Self.debugger(keys: "a", at: "100")
        let screen = debugger.screen(width: 100, height: 40)
        let row = try #require(screen.lines.firstIndex { $0.contains("│ 265 ") })
        #expect(screen.lines[row].contains("-140.0"))
        let x = try #require(screen.lines[row].range(of: "-140.0").map { screen.lines[row].distance(from: screen.lines[row].startIndex, to: $0.lowerBound) })
        #expect(screen[x, row].style == Theme.dark.changed)
    }

    @Test("/ filters the table and counts the matches; an unknown field is an error line")
    func filterScreen() throws {
        let debugger = try Self.debugger(keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER", at: "100")
        let lines = debugger.screen(width: 100, height: 12).lines
        #expect(lines[3].hasPrefix(" filter Health.value < 0: 1 of 116  |"))
        #expect(lines[5].contains("│ 265 ") && lines[5].contains("-140.0"))
        #expect(lines[6].hasSuffix("│" + String(repeating: " ", count: 75)))
        for key in try Key.parseScript("/ " + String(repeating: "BACKSPACE ", count: 16) + "ENTER").get() { debugger.handle(key) }
        #expect(debugger.screen(width: 100, height: 12).lines[3].hasPrefix(" vs c100"), "an empty filter clears it")
        for key in try Key.parseScript("/ N o p e . x SPACE < SPACE 1 ENTER").get() { debugger.handle(key) }
        let error = debugger.screen(width: 100, height: 12)
        #expect(error.lines[11].hasPrefix(" filter: no component Nope; did you mean"), "\(error.lines[11])")
        #expect(error[1, 11].style == Theme.dark.error)
        // The mistake is not applied: every row stays in view.
        #expect(error.lines[3].hasPrefix(" vs c100"), "\(error.lines[3])")
        for key in try Key.parseScript("/ H e a l t h . v a l u e SPACE = = SPACE t r u e ENTER").get() { debugger.handle(key) }
        #expect(debugger.screen(width: 100, height: 12).lines[11].hasPrefix(" filter: Health.value is f32; it cannot be compared with true/false"))
    }

    @Test("the help overlay lists every action with its keys, and the commands; j scrolls it")
    func help() throws {
        let debugger = try Self.debugger(keys: "?")
        var seen = ""
        for _ in 0..<8 {
            seen += debugger.screen(width: 100, height: 40).text
            debugger.handle(.pageDown)
        }
        for action in Action.allCases { #expect(seen.contains(action.rawValue) && seen.contains(action.summary.prefix(40)), "\(action)") }
        for command in CommandWithArgument.all { #expect(seen.contains(":" + command.name), "\(command.name)") }
        debugger.handle(.character("x"))
        #expect(debugger.mode == .normal)
    }

    @Test("the help scrolls no further than its end, so k moves it at once after any number of j; a page keeps one row in view")
    func helpScrollStopsAtTheEnd() throws {
        let debugger = try Self.debugger(keys: "?")
        // The box's rows (96 wide, 38 high: less its rules and footer), without the table around it.
        func listed() -> [String] { debugger.screen(width: 100, height: 40).lines[2..<37].map { String($0.dropFirst(2).prefix(96)) } }
        let top = listed()
        debugger.handle(.pageDown)
        #expect(listed().first == top.last)
        for _ in 0..<500 { debugger.handle(.character("j")) }
        guard case .help(let last) = debugger.mode else { Issue.record("the help closed"); return }
        let end = listed()
        debugger.handle(.character("j"))
        #expect(debugger.mode == .help(last))
        debugger.handle(.character("k"))
        #expect(debugger.mode == .help(last - 1) && listed().dropFirst().first == end.first)
    }

    @Test("the front end's notice shows in the status line; over a message already there, it waits for the next key that says nothing")
    func notice() throws {
        let quiet = try Self.debugger()
        quiet.notify("from the front end")
        #expect(quiet.message?.text == "from the front end" && quiet.message?.isError == false)
        let busy = try Self.debugger()
        busy.runCommand("nonsense")
        let error = try #require(busy.message)
        busy.notify("from the front end")
        #expect(busy.message?.text == error.text)
        busy.handle(.character("j"))
        #expect(busy.message?.text == "from the front end")
        busy.handle(.character("j"))
        #expect(busy.message == nil)
    }

    @Test("/ in the help narrows it to the lines containing a word, in any case; Esc clears the search, another key closes")
    func helpSearch() throws {
        let debugger = try Self.debugger(keys: "? / F O R K")
        var lines = debugger.screen(width: 120, height: 40).lines
        #expect(lines.contains { $0.contains("keys /FORK_") })
        #expect(lines.contains { $0.contains("f                fork") } && lines.contains { $0.contains(":delete-branch") })
        #expect(!lines.contains { $0.contains("step-forward") })
        try FeatureTests.press("ENTER", on: debugger)
        lines = debugger.screen(width: 120, height: 40).lines
        #expect(lines.contains { $0.contains("keys /FORK ") } && lines.contains { $0.contains("/ searches, any other key closes (1-") })
        try FeatureTests.press("/ z z z", on: debugger)
        try FeatureTests.press("ENTER", on: debugger)
        #expect(debugger.screen(width: 120, height: 40).lines.contains { $0.contains("nothing contains \"zzz\"") })
        try FeatureTests.press("/ ESC", on: debugger)
        #expect(debugger.screen(width: 120, height: 40).lines.contains { $0.contains("step-forward") })
        try FeatureTests.press("x", on: debugger)
        #expect(debugger.mode == .normal && debugger.helpSearch.text.isEmpty)
    }

    @Test("a tick typed on the command line goes there")
    func gotoTick() throws {
        let typing = try Self.debugger(keys: ": 1 2")
        #expect(typing.screen(width: 80, height: 24).lines[23].hasPrefix(" :12_"))
        typing.handle(.enter)
        #expect(typing.screen(width: 80, height: 24).lines[0].contains("c13 tick 12"))
    }

    @Test("a tick between two recorded ones goes to the one before and says so; a tick outside the timeline names its range")
    func gotoTickBetweenCheckpoints() throws {
        // The orbits sample keeps every fourth tick.
        let orbits = URL(fileURLWithPath: Self.sample).deletingLastPathComponent().appendingPathComponent("orbits").path
        let debugger = try Debugger(store: CheckpointStore.open(orbits), title: "orbits")
        for key in try Key.parseScript(": 1 3 ENTER").get() { debugger.handle(key) }
        var screen = debugger.screen(width: 120, height: 24)
        #expect(screen.lines[0].contains("c4 tick 12"))
        #expect(screen.lines[23].hasPrefix(" no checkpoint at tick 13: showing tick 12 (c4), the last before it; the next is tick 16 (c5)"))
        #expect(screen[1, 23].style != Theme.dark.error)
        for key in try Key.parseScript(": m a i n @ 4 0 1 ENTER").get() { debugger.handle(key) }
        screen = debugger.screen(width: 120, height: 24)
        #expect(screen.lines[0].contains("c4 tick 12"), "an error moves nothing")
        #expect(screen.lines[23].hasPrefix(" no checkpoint main@401 (main: ticks 0…400)"))
        #expect(screen[1, 23].style == Theme.dark.error)
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
        let debugger = try Self.debugger(keys: "a j j PGDN RIGHT RIGHT RIGHT i w", at: "150")
        let screen = debugger.screen(width: width, height: height)
        if width >= 20 && height >= 6 {
            #expect(screen.lines[0].hasPrefix(String(" tickscope".prefix(width))))
        } else if width > 0 && height > 0 {
            #expect(screen.text.hasPrefix(String("window too small".prefix(width))))
        }
    }

    @Test("a long recording path gives way in the title, keeping its end and the position")
    func longTitle() throws {
        let debugger = try Debugger(store: CheckpointStore.open(Self.sample), title: "/very/long" + String(repeating: "/folder", count: 20) + "/ecosystem")
        let line = debugger.screen(width: 80, height: 24).lines[0]
        #expect(line.hasPrefix(" tickscope  …") && line.contains("/ecosystem  branch main  c1 tick 0  time 0.0  [1/201]"))
    }

    @Test("resizing to 40x10 and back redraws the same screen")
    func resize() throws {
        let debugger = try Self.debugger(keys: "a j j i", at: "100")
        let before = debugger.screen(width: 100, height: 30)
        _ = debugger.screen(width: 40, height: 10)
        #expect(debugger.screen(width: 100, height: 30) == before)
    }

    @Test("NO_COLOR's monochrome theme uses no colours; --ascii draws no box characters")
    func monochromeAndASCII() throws {
        let debugger = try Debugger(store: CheckpointStore.open(Self.sample), title: "ecosystem", theme: Theme.monochrome.ascii)
        for key in try Key.parseScript("a i w").get() { debugger.handle(key) }
        debugger.finishPendingWork()
        let screen = debugger.screen(width: 80, height: 24)
        #expect(screen.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "…" })
    }

    @Test("--keys scripts parse names and clicks, and refuse unknown tokens")
    func keyScripts() throws {
        #expect(try Key.parseScript("l SPACE ENTER PGDN x BTAB CLICK:3,4").get()
            == [.character("l"), .character(" "), .enter, .pageDown, .character("x"), .backTab, .mouse(x: 3, y: 4, button: .left)])
        #expect(throws: ScriptError(token: "SPACEBAR")) { try Key.parseScript("l SPACEBAR").get() }
        #expect(throws: ScriptError(token: "CLICK:3")) { try Key.parseScript("CLICK:3").get() }
    }
}

extension ScreenTests {
    @Test("the help groups actions under headings and dims each that cannot act now, with the reason; the reason goes when it can")
    func helpSaysWhatIsUnavailable() throws {
        let debugger = try Self.debugger()
        let fresh = HelpOverlay.lines(for: debugger.keyMap) { debugger.unavailability(of: $0) }
        // Every group's heading, in order, and every action under its own.
        let headings = fresh.filter { $0.kind == .heading && !$0.text.isEmpty && $0.keys.isEmpty }.map(\.text)
        #expect(headings == ActionGroup.allCases.map(\.rawValue))
        func line(_ action: Action) -> HelpLine? { fresh.first { $0.text.hasPrefix(action.rawValue + " ") } }
        #expect(line(.firstMatch)?.kind == .unavailable && line(.firstMatch)?.text.hasSuffix("(now: set a filter first (/))") == true)
        #expect(line(.stepBack)?.text.hasSuffix("(now: at the first checkpoint)") == true)
        #expect(line(.stepForward)?.kind == .entry && line(.quit)?.kind == .entry)
        // On screen: the heading in the title style, the unavailable line dimmed.
        try FeatureTests.press("?", on: debugger)
        let screen = debugger.screen(width: 120, height: 60)
        let row = try #require(screen.lines.firstIndex { $0.contains("first-match") })
        let x = try #require(screen.lines[row].range(of: "first-match").map { screen.lines[row].distance(from: screen.lines[row].startIndex, to: $0.lowerBound) })
        #expect(screen[x, row].style == Theme.dark.dim)
        // With a filter set and a step taken, F and h can act: no reason shown.
        try FeatureTests.press("ESC a / TEXT:Health.value<0 ENTER l", on: debugger)
        let now = HelpOverlay.lines(for: debugger.keyMap) { debugger.unavailability(of: $0) }
        #expect(now.first { $0.text.hasPrefix("first-match ") }?.kind == .entry)
        #expect(now.first { $0.text.hasPrefix("step-back ") }?.kind == .entry)
    }
}

extension ScreenTests {
    @Test("the help goes on over the next rows where a description is wider than its box: every word of every entry is on screen", arguments: [60, 100])
    func helpWrapsLongDescriptions(width: Int) throws {
        let debugger = try Self.debugger()
        let overlay = HelpOverlay(keyMap: debugger.keyMap, unavailability: { debugger.unavailability(of: $0) }, theme: .dark, scroll: 0)
        var buffer = CellBuffer(width: width, height: 400)
        overlay.render(in: Rect(x: 0, y: 0, width: width, height: 400), into: &buffer)
        // The text column of the box (keys are 16 cells, after a margin of 2 and a space).
        let box = min(width - 2, 96), left = (width - box) / 2
        let text = buffer.lines.map { String($0.dropFirst(left + 3 + 16).prefix(box - 16 - 4)) }
        #expect(text.allSatisfy { CellBuffer.displayWidth(of: $0) <= box - 16 - 4 })
        func words(_ line: String) -> String { line.split(separator: " ").joined(separator: " ") }
        let shown = words(text.joined(separator: " "))
        let entries = HelpOverlay.lines(for: debugger.keyMap) { debugger.unavailability(of: $0) }.filter { $0.kind != .heading }
        #expect(entries.contains { CellBuffer.displayWidth(of: $0.text) > box - 16 - 4 }, "no entry is long enough to need a second row")
        for entry in entries { #expect(shown.contains(words(entry.text)), "\(entry.text)") }
    }
}

extension ScreenTests {
    @Test("drawing is a pure function of the state and the layout: drawn again, the same cells, and nothing moved")
    func drawingChangesNothing() throws {
        let debugger = try Self.debugger(keys: "a i j j j RIGHT RIGHT RIGHT RIGHT RIGHT o w", at: "100")
        debugger.finishPendingWork()
        let rendered = debugger.screen(width: 90, height: 30)
        let before = (debugger.tableState.topRow, debugger.tableState.leftColumn, debugger.tableState.visibleRows, debugger.layout.columns.map(\.column))
        for _ in 0..<2 {
            var again = CellBuffer(width: 90, height: 30)
            debugger.draw(into: &again)
            #expect(again == rendered)
        }
        let after = (debugger.tableState.topRow, debugger.tableState.leftColumn, debugger.tableState.visibleRows, debugger.layout.columns.map(\.column))
        #expect(before == after)
    }
}

extension ScreenTests {
    @Test("a character takes the cells a terminal gives it: printable ASCII and Latin one, controls and combining marks none, CJK and emoji two")
    func characterWidths() {
        for value in UInt8(0x20)...UInt8(0x7E) { #expect(CellBuffer.displayWidth(of: Character(UnicodeScalar(value))) == 1, "\(value)") }
        for control: Character in ["\u{0}", "\t", "\n", "\u{1B}", "\u{7F}", "\u{9B}"] { #expect(CellBuffer.displayWidth(of: control) == 0) }
        #expect(CellBuffer.displayWidth(of: "\u{301}") == 0 && CellBuffer.displayWidth(of: "\u{20DD}") == 0)
        #expect(["é", "ß", "Ω", "─", "…"].allSatisfy { CellBuffer.displayWidth(of: $0) == 1 })
        #expect(["キ", "中", "한", "Ａ", "😀", "🤖"].allSatisfy { CellBuffer.displayWidth(of: $0) == 2 })
        #expect(CellBuffer.displayWidth(of: "e\u{301}x中") == 4)
        // Whole strings and put: printable ASCII takes a path of its own, which must agree with the characters'.
        for text in ["", "x = -1.5e+07", "tab\there", "e\u{301}", "中x", "~|}", String(repeating: "ab", count: 50)] {
            #expect(CellBuffer.displayWidth(of: text) == text.reduce(0) { $0 + CellBuffer.displayWidth(of: $1) }, "\(text)")
        }
        var buffer = CellBuffer(width: 6, height: 1)
        #expect(buffer.put("abcdefgh", x: -2, y: 0, style: .plain, limit: 7) == 7)
        #expect(buffer.lines == ["cdefg "])
        #expect(buffer.put("中x", x: 4, y: 0, style: .plain) == 2 && buffer.lines == ["cdef中"])
    }
}

extension ScreenTests {
    @Test("a click seeks on the timeline, selects an archetype in the list, a row and a column in the table (a column alone on its header); the wheel scrolls")
    func clicks() throws {
        let debugger = try Self.debugger()
        _ = debugger.screen(width: 80, height: 24)
        let bar = debugger.layout.timeline
        debugger.handle(.mouse(x: bar.x + bar.width - 1, y: bar.y, button: .left))
        #expect(debugger.cursor.position == debugger.cursor.checkpoints.count - 1)

        _ = debugger.screen(width: 80, height: 24)
        let list = debugger.layout.archetypes
        try #require(debugger.cursor.current!.archetypes.count > 1)
        debugger.handle(.mouse(x: list.x + 1, y: list.y + 1, button: .left))
        #expect(debugger.archetypeIndex == 1 && debugger.focus == .archetypes)

        _ = debugger.screen(width: 80, height: 24)
        let table = debugger.layout.table, placed = debugger.layout.columns
        try #require(placed.count > 1 && debugger.shownCount > 3)
        let idWidth = TableView.idWidth(of: try #require(debugger.table))
        debugger.handle(.mouse(x: table.x + idWidth + 1 + placed[1].x, y: table.y + 3, button: .left))
        #expect(debugger.focus == .table && debugger.selectedRow == debugger.topRow + 2 && debugger.selectedColumn == placed[1].column)
        let row = debugger.selectedRow
        debugger.handle(.mouse(x: table.x + idWidth + 1 + placed[0].x, y: table.y, button: .left))
        #expect(debugger.selectedRow == row && debugger.selectedColumn == placed[0].column)

        debugger.handle(.mouse(x: 0, y: 0, button: .wheelDown))
        #expect(debugger.selectedRow == min(row + 3, debugger.shownCount - 1))
    }
}
