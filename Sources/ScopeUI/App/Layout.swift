/// Where the last layout put the parts of the screen (the drawing reads
/// it; clicks are found in it).
struct Layout {
    /// The screen it was made for.
    var size = (width: 0, height: 0)
    /// The width of the labels left of the timeline, the strip and the watches.
    var gutter = 0
    var timeline = Rect(x: 0, y: 0, width: 0, height: 0)
    /// The change strip's levels, for the archetype shown.
    var stripLevels: [Double?]?
    /// The first watch's row and how many are shown.
    var watchesTop = 0
    var watchesShown = 0
    /// The summary line's row.
    var summaryY = 0
    /// The archetype list's width, its separator included.
    var listWidth = 0
    var results = Rect(x: 0, y: 0, width: 0, height: 0)
    /// The table's field columns as drawn.
    var columns: [ColumnLayout.Placed] = []
    /// The lifeline lane, when one is drawn.
    var lifeline = Rect(x: 0, y: 0, width: 0, height: 0)
    var strip = Rect(x: 0, y: 0, width: 0, height: 0)
    var archetypes = Rect(x: 0, y: 0, width: 0, height: 0)
    var table = Rect(x: 0, y: 0, width: 0, height: 0)
    var inspector = Rect(x: 0, y: 0, width: 0, height: 0)

    /// Nothing placed (a screen not laid out yet).
    init() {}

    /// Whether the screen was large enough to place anything.
    var isPlaced: Bool { timeline.height > 0 }

    /// The parts of a `width`×`height` screen: the title; the timeline,
    /// and on screens of 12 lines or more the change strip, the lifeline
    /// lane (`hasLifeline`, from 14 lines) and as many of the `watches` as
    /// fit, all on one scale after a gutter of labels; the summary line;
    /// then the archetype list, the table and (`showsInspector`) the
    /// inspector side by side, over the results pane (`results` rows, or
    /// `nil` when it is closed); the status line. Too small a screen
    /// places nothing.
    init(width: Int, height: Int, hasLifeline: Bool, watches: Int, results: Int?, showsInspector: Bool) {
        size = (width, height)
        guard width >= 20, height >= 6 else { return }
        gutter = width >= 60 ? 10 : 0
        let barWidth = width - gutter
        timeline = Rect(x: gutter, y: 1, width: barWidth, height: 1)
        var y = 2
        if height >= 12 {
            strip = Rect(x: gutter, y: y, width: barWidth, height: 1)
            y += 1
            if hasLifeline, height >= 14 {
                lifeline = Rect(x: gutter, y: y, width: barWidth, height: 1)
                y += 1
            }
            watchesShown = min(watches, max(0, (height - 12 - (hasLifeline ? 1 : 0)) / 3))
            watchesTop = y
            y += watchesShown
        }
        summaryY = y
        y += 1
        listWidth = min(26, max(14, width / 4))
        // The results pane takes the bottom of the body, up to half of it.
        let resultsHeight = results.map { max(2, min((height - y - 1) / 2, $0 + 1, 10)) } ?? 0
        let bodyTop = y, bodyHeight = height - bodyTop - 1 - resultsHeight
        if resultsHeight >= 2 { self.results = Rect(x: 0, y: height - 1 - resultsHeight, width: width, height: resultsHeight) }
        archetypes = Rect(x: 0, y: bodyTop, width: listWidth - 1, height: bodyHeight)
        let inspectorWidth = showsInspector ? min(44, max(26, width / 3)) : 0
        table = Rect(x: listWidth, y: bodyTop, width: width - listWidth - inspectorWidth, height: bodyHeight)
        inspector = Rect(x: width - inspectorWidth, y: bodyTop, width: inspectorWidth, height: bodyHeight)
    }
}

extension Layout {
    /// What a click lands on.
    enum Target: Equatable {
        /// A checkpoint, by its index on the timeline (the timeline, the
        /// change strip or the lifeline lane).
        case checkpoint(Int)
        /// An archetype of the list, by its line (maybe past the last one).
        case archetype(Int)
        /// The table: the line of rows in view (`nil` on the header) and
        /// the field column (`nil` on the id or between columns).
        case table(line: Int?, column: Int?)
        case inspector
    }

    /// What is at (`x`, `y`) on the screen laid out: `checkpoints` is the
    /// timeline's length, `idWidth` the table's id column (`nil`: no table).
    func target(atX x: Int, y: Int, checkpoints: Int, idWidth: Int?) -> Target? {
        for bar in [timeline, strip, lifeline] where bar.contains(x: x, y: y) {
            return TimelineBar.checkpointIndex(atColumn: x - bar.x, width: bar.width, count: checkpoints).map(Target.checkpoint)
        }
        if archetypes.contains(x: x, y: y) { return .archetype(y - archetypes.y) }
        if let idWidth, table.contains(x: x, y: y) {
            let line = y - table.y - 1, offset = x - table.x - idWidth - 1
            return .table(line: line >= 0 ? line : nil, column: columns.first { offset >= $0.x && offset < $0.x + $0.width + 1 }?.column)
        }
        return inspector.contains(x: x, y: y) ? .inspector : nil
    }
}
