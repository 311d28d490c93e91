@testable import ScopeUI
import Testing

/// Where the screen's parts go, computed before anything is drawn, and
/// what a click at a cell lands on.
@Suite struct LayoutTests {
    @Test("at 80x24: the timeline and strip after a 10-cell gutter, the summary, then list, table and inspector over a results pane of four lines")
    func standardScreen() {
        let layout = Layout(width: 80, height: 24, hasLifeline: false, watches: 0, results: 3, showsInspector: true)
        #expect(layout.isPlaced && layout.gutter == 10)
        #expect(layout.timeline == Rect(x: 10, y: 1, width: 70, height: 1) && layout.strip == Rect(x: 10, y: 2, width: 70, height: 1))
        #expect(layout.lifeline.height == 0 && layout.watchesShown == 0 && layout.summaryY == 3)
        #expect(layout.archetypes == Rect(x: 0, y: 4, width: 19, height: 15) && layout.listWidth == 20)
        #expect(layout.table == Rect(x: 20, y: 4, width: 34, height: 15) && layout.inspector == Rect(x: 54, y: 4, width: 26, height: 15))
        #expect(layout.results == Rect(x: 0, y: 19, width: 80, height: 4))
    }

    @Test("the lifeline lane and as many watches as fit go between the strip and the summary; a screen under 20x6 places nothing")
    func lanesAndTooSmall() {
        let layout = Layout(width: 80, height: 24, hasLifeline: true, watches: 5, results: nil, showsInspector: false)
        #expect(layout.lifeline == Rect(x: 10, y: 3, width: 70, height: 1))
        #expect(layout.watchesTop == 4 && layout.watchesShown == 3 && layout.summaryY == 7)
        #expect(layout.table == Rect(x: 20, y: 8, width: 60, height: 15) && layout.inspector.width == 0 && layout.results.height == 0)
        for (width, height) in [(19, 24), (80, 5)] {
            #expect(!Layout(width: width, height: height, hasLifeline: true, watches: 1, results: 1, showsInspector: true).isPlaced)
        }
    }

    @Test("a click lands on a checkpoint of the timeline, an archetype's line, a table line and column (none on the header or the id), or the inspector")
    func targets() {
        var layout = Layout(width: 80, height: 24, hasLifeline: false, watches: 0, results: nil, showsInspector: true)
        layout.columns = [ColumnLayout.Placed(column: 3, x: 0, width: 8), ColumnLayout.Placed(column: 5, x: 9, width: 8)]
        #expect(layout.target(atX: 10, y: 1, checkpoints: 70, idWidth: 6) == .checkpoint(0))
        #expect(layout.target(atX: 79, y: 2, checkpoints: 70, idWidth: 6) == .checkpoint(69))
        #expect(layout.target(atX: 3, y: 6, checkpoints: 70, idWidth: 6) == .archetype(2))
        // The table starts at x 20 and row 4 (its header); the id takes 6 cells and a separator.
        #expect(layout.target(atX: 27 + 10, y: 7, checkpoints: 70, idWidth: 6) == .table(line: 2, column: 5))
        #expect(layout.target(atX: 27, y: 4, checkpoints: 70, idWidth: 6) == .table(line: nil, column: 3))
        #expect(layout.target(atX: 21, y: 5, checkpoints: 70, idWidth: 6) == .table(line: 0, column: nil))
        #expect(layout.target(atX: 21, y: 5, checkpoints: 70, idWidth: nil) == nil, "no table shown")
        #expect(layout.target(atX: 60, y: 10, checkpoints: 70, idWidth: 6) == .inspector)
        #expect(layout.target(atX: 5, y: 0, checkpoints: 70, idWidth: 6) == nil, "the title")
    }
}
