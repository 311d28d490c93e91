import Timeline

/// A lifeline as a lane on the timeline's scale: `+` where the entity was
/// spawned (a digit for a later life of a reused id), `•` where a field
/// changed, `>` where it moved archetype, `x` where it was despawned, `!`
/// where the checkpoint could not be read, `─` while it lives unchanged,
/// nothing while it is absent or not yet read.
struct LifelineRow {
    var lifeline: Lifeline
    var theme: Theme

    /// The glyph of one event and how much it matters when several share a column.
    static func glyph(_ event: Lifeline.Event, ascii: Bool) -> (Character, Int)? {
        switch event {
        case .absent: nil
        case .unchanged: (ascii ? "-" : "─", 1)
        case .changed: (ascii ? "*" : "•", 2)
        case .moved: (">", 3)
        case .spawned(let life): (life == 1 ? "+" : Character(String(min(life, 9))), 4)
        case .despawned: ("x", 5)
        case .unreadable: ("!", 6)
        }
    }

    func render(in area: Rect, into buffer: inout CellBuffer) {
        // The lane sits between the bar's two ends: nothing to draw in fewer than three cells.
        guard area.width >= 3, area.height >= 1 else { return }
        let scale = TimelineScale(count: lifeline.checkpoints.count, width: area.width)
        for column in 1...max(1, scale.inner) {
            guard let range = scale.indices(at: column) else { continue }
            let shown = range.filter { $0 < lifeline.events.count }.compactMap { Self.glyph(lifeline.events[$0], ascii: theme.box == .ascii) }
            guard let (glyph, weight) = shown.max(by: { $0.1 < $1.1 }) else { continue }
            buffer.put(String(glyph), x: area.x + column, y: area.y, style: weight >= 3 ? theme.changed : weight == 2 ? theme.header : theme.dim)
        }
    }
}
