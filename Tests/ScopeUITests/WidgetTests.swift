import Foundation
import PackCodec
@testable import ScopeUI
import Testing
import Timeline

/// Every widget draws inside the rectangle it is given and nowhere else,
/// at any size and position, with wide characters near its edges.
@Suite struct WidgetTests {
    /// A debugger with something for every widget to show: a filter, entity
    /// 265's Health selected, the inspector and its history, a lifeline,
    /// `:query` results, a mark.
    static func debugger() throws -> Debugger {
        let debugger = try FeatureTests.debugger(
            keys: "a / TEXT:Health.value<50 ENTER # 2 6 5 ENTER RIGHT RIGHT RIGHT i o : TEXT:query SPACE TEXT:Health.value<0 ENTER", at: "100")
        debugger.finishPendingWork()
        _ = debugger.screen(width: 120, height: 40)  // lays the table out
        return debugger
    }

    /// Each widget, made from the debugger's state as the screen makes it.
    static func widgets(of debugger: Debugger) throws -> [(String, any Widget)] {
        let table = try #require(debugger.table)
        let theme = debugger.theme
        try FeatureTests.press("%", on: debugger)
        guard case .distribution(let view) = debugger.mode else { throw WidgetTestFailure.noDistribution }
        try FeatureTests.press("ESC", on: debugger)
        return [
            ("timeline", TimelineBar(cursor: debugger.cursor, forkPoints: [], marks: debugger.marks.marks, damaged: [], theme: theme)),
            ("levels", LevelRow(levels: (0..<50).map { $0 % 7 == 0 ? nil : Double($0) / 50 }, theme: theme, style: theme.header)),
            ("lifeline", LifelineRow(lifeline: try #require(debugger.lifeline), theme: theme)),
            ("inspector", Inspector(table: table, row: debugger.row(at: debugger.selectedRow), selectedColumn: debugger.selectedColumn,
                                    history: debugger.history, position: debugger.cursor.position, isFocused: true, theme: theme)),
            ("results", ResultsPane(results: try #require(debugger.query), isFocused: true, theme: theme)),
            ("branch list", BranchList(lines: BranchList.lines(of: debugger.store), selected: 0, current: debugger.branch, confirmingDelete: true, theme: theme)),
            ("help", HelpOverlay(keyMap: debugger.keyMap, theme: theme, scroll: 3)),
            ("distribution", DistributionOverlay(view: view, theme: theme)),
            ("archetypes", ArchetypeList(archetypes: try #require(debugger.cursor.current).archetypes, selected: debugger.archetypeIndex,
                                         isFocused: true, theme: theme)),
            ("table", TableView(table: table, state: debugger.tableState, showsDiff: true, theme: theme,
                                placed: debugger.layout.columns, isFocused: true)),
        ]
    }

    enum WidgetTestFailure: Error { case noDistribution }

    @Test("each widget changes only cells inside its rectangle, and draws something there", arguments: [
        Rect(x: 7, y: 5, width: 60, height: 20), Rect(x: 0, y: 0, width: 100, height: 40), Rect(x: 31, y: 13, width: 23, height: 3),
        Rect(x: 99, y: 39, width: 1, height: 1), Rect(x: 50, y: 20, width: 0, height: 0),
    ])
    func staysInside(area: Rect) throws {
        let debugger = try Self.debugger()
        for (name, widget) in try Self.widgets(of: debugger) {
            var buffer = CellBuffer(width: 100, height: 40)
            // "界" is two cells wide: a widget that cuts a wide character at its edge must not leave half of one outside.
            for y in 0..<40 { buffer.put(String(repeating: "界", count: 50), x: 0, y: y, style: .plain) }
            let before = buffer
            widget.render(in: area, into: &buffer)
            var outside: [String] = [], changedInside = false
            for y in 0..<40 {
                for x in 0..<100 where buffer[x, y] != before[x, y] {
                    if area.contains(x: x, y: y) { changedInside = true } else { outside.append("(\(x),\(y))") }
                }
            }
            #expect(outside.isEmpty, "\(name) in \(area) changed \(outside.count) cells outside it, first \(outside.prefix(3))")
            // Overlays need room for their box (they draw nothing in less); everything draws in a screen-sized area.
            if area.width >= 60, area.height >= 20 { #expect(changedInside, "\(name) in \(area) drew nothing") }
        }
    }
}
