import PackCodec
import Timeline

/// The branches of the store in a box: name, fork point, own checkpoints
/// and their ticks, the one shown marked, one selected. `v` opens it; Enter
/// switches, `r` renames, `d` then `y` deletes, Esc closes.
struct BranchList {
    struct Line: Equatable {
        var name: String
        var forkedFrom: String
        var checkpoints: Int
        var ticks: String
    }

    /// One line per branch, in the store's order.
    static func lines(of store: CheckpointStore) -> [Line] {
        store.branches.map { branch in
            let own = store.checkpoints.filter { $0.branch == branch.name }
            let fork = branch.forkedFrom.map { id in store.checkpoint(id).map { "\(id) (tick \($0.tick))" } ?? "\(id) (deleted)" } ?? "-"
            return Line(name: branch.name, forkedFrom: fork, checkpoints: own.count, ticks: own.first.map { "\($0.tick)..\(own.last!.tick)" } ?? "-")
        }
    }

    var lines: [Line]
    var selected: Int
    var current: String
    var confirmingDelete: Bool
    var theme: Theme

    func render(in area: Rect, into buffer: inout CellBuffer) {
        let width = min(area.width - 2, 80), height = min(area.height - 2, lines.count + 5)
        guard width > 20, height > 4 else { return }
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(box, style: theme.base)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y, style: theme.border)
        buffer.put(" branches ", x: box.x + 2, y: box.y, style: theme.title)
        buffer.put(pad("  branch", 22) + pad("forked from", 22) + pad("checkpoints", 13, right: true) + pad("ticks", 14, right: true),
                   x: box.x + 1, y: box.y + 1, style: theme.header, limit: width - 2)
        let room = height - 4
        let first = max(0, min(selected - room / 2, lines.count - room))
        for (row, index) in (first..<min(lines.count, first + room)).enumerated() {
            let line = lines[index]
            let text = (line.name == current ? "● " : "  ") + pad(truncate(line.name, to: 19), 20) + pad(line.forkedFrom, 22)
                + pad(String(line.checkpoints), 13, right: true) + pad(line.ticks, 14, right: true)
            let style = index == selected ? theme.selected : theme.base
            buffer.fill(Rect(x: box.x + 1, y: box.y + 2 + row, width: width - 2, height: 1), style: style)
            buffer.put(text, x: box.x + 1, y: box.y + 2 + row, style: style, limit: width - 2)
        }
        let footer = confirmingDelete
            ? "delete \(lines.indices.contains(selected) ? lines[selected].name : "") and its own checkpoints? y deletes, any other key keeps it"
            : "j/k select  Enter switch  r rename  d delete  Esc close"
        buffer.put(footer, x: box.x + 2, y: box.y + height - 2, style: confirmingDelete ? theme.error : theme.dim, limit: width - 4)
        buffer.put(String(repeating: theme.box.horizontal, count: width), x: box.x, y: box.y + height - 1, style: theme.border)
    }
}
