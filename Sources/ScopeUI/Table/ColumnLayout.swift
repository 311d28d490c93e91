import PackCodec

/// How the table's field columns are laid out: the ones the user hid, the
/// widths the user set, and where each column in view is drawn. Widths and
/// hiding go by column name, so they hold across checkpoints and for the
/// same field in every archetype.
struct ColumnLayout: Equatable {
    static let standardWidth = 12, narrowest = 4, widest = 60
    /// Columns not drawn (`_` hides, `:show-columns` shows them all again).
    var hidden: Set<ColumnKey> = []
    /// Widths set with `<` and `>`; the others are ``standardWidth``.
    var widths: [ColumnKey: Int] = [:]

    /// One column in view: the table column, and where it is drawn,
    /// counted from the first cell after the id column and its gap.
    struct Placed: Equatable {
        var column: Int
        var x: Int
        var width: Int
    }

    func width(of key: ColumnKey) -> Int { widths[key] ?? Self.standardWidth }

    /// The table columns shown, in order.
    func shown(_ keys: [ColumnKey]) -> [Int] { keys.indices.filter { !hidden.contains(keys[$0]) } }

    /// The columns drawn from table column `left` onward in `room` cells,
    /// each followed by a one-cell gap. When every column shown fits with
    /// room to spare, the spare is shared out (each column to at most three
    /// times its width), so a wide screen has no wide empty gap at the right.
    func place(_ keys: [ColumnKey], from left: Int, in room: Int) -> [Placed] {
        let columns = shown(keys).filter { $0 >= left }
        var placed: [Placed] = []
        var x = 0
        for column in columns {
            let width = width(of: keys[column])
            guard x + width <= room || placed.isEmpty else { break }
            placed.append(Placed(column: column, x: x, width: min(width, max(1, room - x))))
            x += width + 1
        }
        let everything = placed.count == shown(keys).count
        let spare = room - x + 1
        guard everything, spare > 0, !placed.isEmpty else { return placed }
        let share = spare / placed.count
        x = 0
        for index in placed.indices {
            placed[index].x = x
            placed[index].width += min(share, 2 * placed[index].width)
            x += placed[index].width + 1
        }
        return placed
    }

    /// The shown column after (or before) `column`, or `column` itself at the end.
    func neighbour(of column: Int, in keys: [ColumnKey], forward: Bool) -> Int {
        let columns = shown(keys)
        let next = forward ? columns.first { $0 > column } : columns.last { $0 < column }
        return next ?? column
    }
}
