import Timeline

/// The timeline: a line as wide as the screen with the current checkpoint's
/// marker, fork points of other branches, and the ends.
struct TimelineBar {
    var cursor: ReplayCursor
    var forkPoints: Set<CheckpointID>
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width >= 3 else { return }
        let count = cursor.checkpoints.count
        let inner = area.width - 2
        buffer.put("├", x: area.x, y: area.y, style: theme.border)
        buffer.put(String(repeating: theme.box.horizontal, count: inner), x: area.x + 1, y: area.y, style: theme.border)
        buffer.put("┤", x: area.x + area.width - 1, y: area.y, style: theme.border)
        if theme.box == .ascii {
            buffer.put("[", x: area.x, y: area.y, style: theme.border)
            buffer.put("]", x: area.x + area.width - 1, y: area.y, style: theme.border)
        }
        guard count > 0 else { return }
        func column(_ index: Int) -> Int { area.x + 1 + (count == 1 ? 0 : index * (inner - 1) / (count - 1)) }
        for (index, checkpoint) in cursor.checkpoints.enumerated() where forkPoints.contains(checkpoint.id) {
            buffer.put(String(theme.box.fork), x: column(index), y: area.y, style: theme.spawned)
        }
        buffer.put(String(theme.box.marker), x: column(cursor.position), y: area.y, style: theme.title)
    }
}
