import Foundation
import PackCodec
import Testing
import Timeline
@testable import ScopeUI

/// Column controls, the cell cursor, the clipboard and `:export`, checked
/// against the screen and the store's own values.
extension FeatureTests {
    @Test("_ hides the selected column and → skips it; 0 and $ go to the first and last; :show-columns brings them back; the last one stays")
    func hideColumns() throws {
        let debugger = try Self.debugger(keys: "a RIGHT _", at: "100")
        var header = debugger.screen(width: 120, height: 20).lines[4]
        #expect(!header.contains("Position.y") && header.contains("Position.x") && header.contains("Energy.value"), "\(header)")
        #expect(debugger.selectedCell?.key.description == "Energy.value")
        try Self.press("LEFT", on: debugger)
        #expect(debugger.selectedCell?.key.description == "Position.x", "← skips the hidden column")
        try Self.press("$", on: debugger)
        #expect(debugger.selectedCell?.key.description == "Diet.kind")
        try Self.press("0", on: debugger)
        #expect(debugger.selectedCell?.key.description == "Position.x")
        // Hiding all but one: the last is refused.
        try Self.press("_ _ _ _ _", on: debugger)
        #expect(debugger.message?.isError == true)
        header = debugger.screen(width: 120, height: 20).lines[4]
        #expect(header.contains("Diet.kind") && !header.contains("Age.ticks"), "\(header)")
        try Self.press(": TEXT:show-columns ENTER", on: debugger)
        header = debugger.screen(width: 120, height: 20).lines[4]
        for name in ["Position.x", "Position.y", "Energy.value", "Health.value", "Age.ticks", "Diet.kind"] { #expect(header.contains(name), "\(name): \(header)") }
    }

    @Test("> and < widen and narrow the selected column; the columns after it move; values that no longer fit shorten")
    func columnWidths() throws {
        let debugger = try Self.debugger(keys: "a > > > >", at: "100")
        // 60 cells: the columns do not all fit, so no spare room is shared out.
        var header = debugger.screen(width: 60, height: 20).lines[4]
        #expect(header.contains("          Position.x "), "20 wide: \(header)")
        try Self.press("< < < < < < < < < < < <", on: debugger)
        #expect(debugger.message?.text == "Position.x is 4 wide")
        header = debugger.screen(width: 60, height: 20).lines[4]
        #expect(header.contains("Pos…"), "\(header)")
        let row = debugger.screen(width: 60, height: 20).lines[5]
        #expect(row.split(separator: " ").count >= 3, "\(row)")
    }

    @Test("at 200 columns the table spreads over the width instead of leaving a wide empty gap")
    func noWideGap() throws {
        let debugger = try Self.debugger(keys: "a", at: "100")
        let lines = debugger.screen(width: 200, height: 20).lines
        let header = lines[4]
        let trailing = header.reversed().prefix { $0 == " " }.count
        #expect(trailing < 20, "\(trailing) empty cells at the right: \(header)")
    }

    @Test("the selected cell is drawn inside out in bold (the cell cursor), only while the table has the focus")
    func cellCursor() throws {
        let debugger = try Self.debugger(keys: "a RIGHT RIGHT RIGHT", at: "100")
        let screen = debugger.screen(width: 100, height: 20)
        let y = 5
        let cells = (0..<100).map { screen[$0, y] }
        let cursor = cells.filter { $0.style.isBold && $0.style.isReversed != Theme.dark.selected.isReversed }
        #expect(!cursor.isEmpty && cursor.count <= 13, "the cursor covers one column: \(cursor.count) cells")
        #expect(String(cursor.map(\.character)).trimmingCharacters(in: .whitespaces) == debugger.table!.columns[3].value(at: debugger.selectedCell!.row).description)
        try Self.press("TAB", on: debugger)
        #expect(debugger.focus != .table)
        let unfocused = debugger.screen(width: 100, height: 20)
        #expect(!(0..<100).contains { unfocused[$0, y].style.isBold && unfocused[$0, y].style.isReversed != Theme.dark.selected.isReversed })
    }

    @Test("y copies the selected value exactly as stored, Y the row as tab-separated id and shown values")
    func copy() throws {
        let debugger = try Self.debugger(keys: "a # 2 6 5 ENTER RIGHT RIGHT RIGHT y", at: "100")
        #expect(debugger.takeClipboard() == "-140.0")
        #expect(debugger.takeClipboard() == nil, "taken once")
        try Self.press("RIGHT _ Y", on: debugger)
        let row = try #require(debugger.takeClipboard()).split(separator: "\t").map(String.init)
        let table = try #require(debugger.table)
        let index = try #require(table.ids.firstIndex(of: EntityID(265)))
        let expected = ["265"] + [0, 1, 2, 3, 5].map { table.columns[$0].value(at: index).description }
        #expect(row == expected)
    }

    @Test(":export writes the view as CSV: the filtered rows in sort order, the id and the columns not hidden, exact values; an existing file needs export!")
    func exportView() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tickscope-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("view.csv").path
        let debugger = try Self.debugger(keys: "a / TEXT:Health.value SPACE < SPACE TEXT:20 ENTER RIGHT RIGHT RIGHT s s RIGHT _ : TEXT:export SPACE TEXT:\(path) ENTER", at: "100")
        #expect(debugger.message?.text.hasPrefix("wrote \(debugger.shownCount) rows and 6 columns") == true, "\(debugger.message?.text ?? "")")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[0] == "id,Position.x,Position.y,Energy.value,Health.value,Diet.kind")
        let table = try #require(debugger.table)
        let expected = (0..<debugger.shownCount).map { position -> String in
            let row = debugger.row(at: position)
            return ([String(table.ids[row].rawValue)] + [0, 1, 2, 3, 5].map { table.columns[$0].value(at: row).description }).joined(separator: ",")
        }
        #expect(Array(lines.dropFirst()) == expected && !expected.isEmpty)
        let healths = lines.dropFirst().map { Double($0.split(separator: ",")[4])! }
        #expect(healths == healths.sorted(by: >) && healths.allSatisfy { $0 < 20 }, "filtered, sorted descending")
        try Self.press(": TEXT:export SPACE TEXT:\(path) ENTER", on: debugger)
        #expect(debugger.message?.isError == true && debugger.message?.text.contains("export!") == true)
        try Self.press(": TEXT:export! SPACE TEXT:\(path) ENTER", on: debugger)
        #expect(debugger.message?.isError == false)
        // A store's own file is never replaced, not even with export!.
        let store = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: store) }
        let manifest = try Data(contentsOf: URL(fileURLWithPath: store + "/MANIFEST"))
        for name in ["MANIFEST", "LOCK", "data-000001.tsd", "MARKS"] {
            try Self.press(": TEXT:export! SPACE TEXT:\(store)/\(name) ENTER", on: debugger)
            #expect(debugger.message?.text == "\(store)/\(name) is a file of the checkpoint store \(store), which stays as it is; export elsewhere", "\(debugger.message?.text ?? "")")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "/MANIFEST")) == manifest)
        #expect(try CheckpointStore.open(store).verify().isEmpty)
    }
}

extension FeatureTests {
    @Test("% shows the selected column's distribution here against the diff base's: statistics of both and a histogram; any key closes")
    func distributionOverlay() throws {
        let debugger = try Self.debugger(keys: "a RIGHT RIGHT RIGHT %", at: "100")
        guard case .distribution(let view) = debugger.mode else { Issue.record("no overlay: \(debugger.mode)"); return }
        #expect(view.column == "Health.value" && view.here.label == "c101" && view.base?.label == "c100")
        let table = try #require(debugger.table)
        let values = (0..<table.ids.count).map { table.columns[3].value(at: $0).number! }
        #expect(view.here.spread == Distribution(values) && view.here.spread.minimum == -140)
        let lines = debugger.screen(width: 110, height: 34).lines
        #expect(lines.contains { $0.contains("distribution of Health.value") })
        #expect(lines.contains { $0.contains("c101    count \(values.count)  nan 0  min -140.0") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("c100    count ") && $0.contains("min 4.0") })
        // The bin that holds -140 has one at c101 and none at c100.
        #expect(lines.contains { $0.contains("-140.0 .. ") && $0.contains("  1        0  █") })
        try Self.press("x", on: debugger)
        #expect(debugger.mode == .normal)
    }
}
