import PackCodec
import Timeline

/// How the selected column's values are spread at the checkpoint shown,
/// against the diff base's (VisiData's frequency sheet is the model): a
/// histogram over both, the current count as `█`, the base's as `░` behind
/// it, and count, NaNs, minimum, quartiles, maximum and mean of each.
public struct DistributionView: Equatable, Sendable {
    public var column: String
    public var here: (label: String, spread: Distribution)
    public var base: (label: String, spread: Distribution)?

    public static func == (a: DistributionView, b: DistributionView) -> Bool {
        a.column == b.column && a.here.label == b.here.label && a.here.spread == b.here.spread
            && a.base?.label == b.base?.label && a.base?.spread == b.base?.spread
    }

    /// The lines the overlay shows (title aside), `width` cells wide.
    func lines(bins: Int, width: Int) -> [String] {
        func statistics(_ label: String, _ spread: Distribution) -> String {
            let names = Distribution.statisticNames, values = spread.statistics
            return pad(label, 8) + zip(names, values).map { name, value in
                "\(name) " + (name == "count" || name == "nan" ? String(Int(value)) : Self.short(value))
            }.joined(separator: "  ")
        }
        var lines = [statistics(here.label, here.spread)]
        if let base { lines.append(statistics(base.label, base.spread)) }
        guard let range = here.spread.finiteRange(with: base?.spread) else { return lines + ["", "no finite values to draw"] }
        let edges = Distribution.bins(bins, over: range)
        let now = here.spread.histogram(bins: edges.count, over: range)
        let before = base?.spread.histogram(bins: edges.count, over: range) ?? []
        let largest = max(1, (now + before).max() ?? 1)
        let labelWidth = 24, countWidth = 9
        let barWidth = max(4, width - labelWidth - 2 * countWidth - 2)
        lines.append("")
        lines.append(pad("from", labelWidth) + pad(here.label, countWidth, right: true) + pad(base?.label ?? "", countWidth, right: true))
        for (index, edge) in edges.enumerated() {
            let label = Self.short(edge.low) + " .. " + Self.short(edge.high)
            let filled = (now[index] * barWidth + largest - 1) / largest
            let behind = before.isEmpty ? 0 : (before[index] * barWidth + largest - 1) / largest
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: max(0, behind - filled))
            lines.append(pad(truncate(label, to: labelWidth - 1), labelWidth) + pad(String(now[index]), countWidth, right: true)
                         + pad(before.isEmpty ? "" : String(before[index]), countWidth, right: true) + "  " + bar)
        }
        return lines
    }

    /// A number in at most about 10 characters.
    static func short(_ value: Double) -> String { ValueFormat.fit(value, exact: value.description, width: 10) }
}

/// Draws a ``DistributionView`` in a box over the screen.
struct DistributionOverlay {
    var view: DistributionView
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let width = min(area.width - 2, 110)
        let bins = max(2, min(16, area.height - 11))
        let lines = view.lines(bins: bins, width: width - 4)
        let height = min(area.height - 2, lines.count + 3)
        guard width > 20, height > 3 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" distribution of \(view.column) ", x: box.x + 2, y: box.y, style: theme.title, limit: width - 4)
        for (index, line) in lines.prefix(height - 3).enumerated() {
            buffer.put(line, x: box.x + 2, y: box.y + 1 + index, style: index < (view.base == nil ? 1 : 2) ? theme.header : theme.base, limit: width - 4)
        }
        buffer.put("█ \(view.here.label)" + (view.base.map { "  ░ \($0.label)" } ?? "") + "   any key closes", x: box.x + 2, y: box.y + height - 2, style: theme.dim, limit: width - 4)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y + height - 1, style: theme.border)
    }
}
