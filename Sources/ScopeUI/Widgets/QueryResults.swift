import PackCodec
import Timeline

/// The rows of the last `:query` as the debugger keeps them: what was
/// asked, the rows, the one selected in the results pane, and whether the
/// pane is open.
struct QueryResults {
    /// The query as typed.
    var text: String
    /// The names of each row's values.
    var valueNames: [String]
    /// Whether it is an aggregate (one row per checkpoint, which pins as a watch).
    var isAggregate: Bool
    var rows: [QueryRow]
    /// The row selected in the pane (and the last one shown).
    var position = 0
    /// Whether the pane is open under the table.
    var isShown = true

    init(text: String, result: QueryResult, form: QueryForm) {
        self.text = text
        valueNames = result.valueNames
        rows = result.rows
        if case .aggregate = form { isAggregate = true } else { isAggregate = false }
    }

    /// Moves the selection by `delta` rows, staying in range.
    mutating func move(by delta: Int) {
        guard !rows.isEmpty else { return }
        let target = Int64(position) + Int64(max(Int(Int32.min), min(Int(Int32.max), delta)))
        position = Int(max(0, min(Int64(rows.count - 1), target)))
    }

    /// An aggregate's values as a watch along `checkpoints`, or `nil` for a row query.
    func series(along checkpoints: [CheckpointID]) -> Series? {
        guard isAggregate, !rows.isEmpty else { return nil }
        var values: [CheckpointID: Double] = [:]
        for row in rows { if let number = row.values.first?.number { values[row.checkpoint] = number } }
        return Series(.query(text: text, name: valueNames.first ?? text, values: values), checkpoints: checkpoints)
    }
}
