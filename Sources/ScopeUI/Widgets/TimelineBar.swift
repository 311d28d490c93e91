import FoundationEssentials
import Timeline

/// How checkpoints map to the columns of a bar `width` cells wide (its
/// ends included): the timeline, the change strip and every sparkline use
/// the same scale, so they line up.
struct TimelineScale {
    var count: Int
    var width: Int

    var inner: Int { max(1, width - 2) }

    /// The column (from the bar's left end) of checkpoint `index`.
    func column(of index: Int) -> Int { 1 + (count <= 1 || inner == 1 ? 0 : index * (inner - 1) / (count - 1)) }

    /// The checkpoints drawn in column `column` (1...inner): those placed
    /// there, or the nearest one when none is.
    func indices(at column: Int) -> ClosedRange<Int>? {
        guard count > 0, column >= 1, column <= inner else { return nil }
        guard count > 1, inner > 1 else { return 0...0 }
        let x = column - 1
        let span = count - 1, room = inner - 1
        let low = (x * span + room - 1) / room
        let high = min(span, ((x + 1) * span + room - 1) / room - 1)
        if low <= high { return low...high }
        let nearest = min(span, Int((Double(x) * Double(span) / Double(room)).rounded()))
        return nearest...nearest
    }
}

/// The timeline: a line as wide as its area with the current checkpoint's
/// marker, fork points of other branches, marks by their letters, and the
/// ends.
struct TimelineBar {
    var cursor: ReplayCursor
    var forkPoints: Set<CheckpointID>
    var marks: [MarkBook.Mark]
    /// Checkpoints that could not be read (a checksum or authentication
    /// failed): drawn as `!` in the error style.
    var damaged: Set<CheckpointID> = []
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width >= 3 else { return }
        let count = cursor.checkpoints.count
        let scale = TimelineScale(count: count, width: area.width)
        let ascii = theme.box == .ascii
        buffer.put(ascii ? "[" : "├", x: area.x, y: area.y, style: theme.border)
        buffer.put(String(repeating: theme.box.horizontal, count: scale.inner), x: area.x + 1, y: area.y, style: theme.border)
        buffer.put(ascii ? "]" : "┤", x: area.x + area.width - 1, y: area.y, style: theme.border)
        guard count > 0 else { return }
        var indexOf: [CheckpointID: Int] = [:]
        for (index, checkpoint) in cursor.checkpoints.enumerated() {
            indexOf[checkpoint.id] = index
            if forkPoints.contains(checkpoint.id) {
                buffer.put(String(theme.box.fork), x: area.x + scale.column(of: index), y: area.y, style: theme.spawned)
            }
        }
        for id in damaged { if let index = indexOf[id] { buffer.put("!", x: area.x + scale.column(of: index), y: area.y, style: theme.error) } }
        for mark in marks { if let index = indexOf[mark.checkpoint] { buffer.put(String(mark.letter), x: area.x + scale.column(of: index), y: area.y, style: theme.header) } }
        buffer.put(String(theme.box.marker), x: area.x + scale.column(of: cursor.position), y: area.y, style: theme.title)
    }

    /// The checkpoint under a click `column` cells from the bar's left end.
    static func checkpointIndex(atColumn column: Int, width: Int, count: Int) -> Int? {
        let scale = TimelineScale(count: count, width: width)
        return scale.indices(at: min(max(column, 1), scale.inner))?.lowerBound
    }
}

/// A row of bars aligned with the timeline (the change strip, sparklines):
/// a level per column, drawn with block characters (or ASCII ones), blank
/// where there is nothing.
struct LevelRow {
    /// Level per checkpoint, 0...1, `nil` for nothing. A column shows the
    /// largest level of the checkpoints it stands for; a level outside
    /// 0...1 is drawn at the nearer end and NaN as nothing.
    var levels: [Double?]
    var theme: Theme
    var style: Style

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiBlocks: [Character] = [".", ",", ":", "-", "=", "+", "*", "#"]

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let scale = TimelineScale(count: levels.count, width: area.width)
        let glyphs = theme.box == .ascii ? Self.asciiBlocks : Self.blocks
        for column in 1...max(1, scale.inner) {
            guard let range = scale.indices(at: column) else { continue }
            guard let level = range.compactMap({ levels[$0] }).filter({ !$0.isNaN }).max() else { continue }
            let step = Int((min(1, max(0, level)) * Double(glyphs.count - 1)).rounded())
            buffer.put(String(glyphs[step]), x: area.x + column, y: area.y, style: style)
        }
    }

    /// Levels for values scaled between their finite minimum and maximum (a
    /// constant shows at half height). `+inf` is drawn at the top, `-inf` at
    /// the bottom and NaN as nothing, so one odd value does not flatten or
    /// hide the others.
    static func scaled(_ values: [Double?]) -> [Double?] {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        let low = finite.min(), high = finite.max()
        return values.map { value in
            guard let value, !value.isNaN else { return nil }
            if value == .infinity { return 1 }
            if value == -.infinity { return 0 }
            guard let low, let high, high > low else { return 0.5 }
            // Between the extremes of Double the span itself overflows; halves do not.
            let span = high - low
            let level = span.isFinite ? (value - low) / span : (value / 2 - low / 2) / (high / 2 - low / 2)
            return level.isFinite ? min(1, max(0, level)) : 0.5
        }
    }
}
