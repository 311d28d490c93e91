import PackCodec
import Timeline

/// The results pane: `:query` runs a query of the `Timeline` engine and
/// lists its rows under the table; while the pane has the focus, Enter (or
/// `i`) goes to the selected row, `n` and `N` walk the rows, `w` pins an
/// aggregate's series as a watch and Esc closes the pane. `}` and `{` walk
/// the rows from anywhere (``ChangesController``).
///
/// ```swift
/// ResultsController.runQuery("first tick where Health.value < 0", on: debugger)
/// ResultsController.showResult(0, on: debugger)   // its checkpoint, its entity selected
/// ```
enum ResultsController {
    /// The keys that act on the results pane while it has the focus.
    /// - Returns: whether `action` was taken here (else it acts as anywhere).
    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .toggleInspector: showResult(debugger.query?.position ?? 0, on: debugger)
        case .nextChange: showResult((debugger.query?.position ?? -1) + 1, on: debugger)
        case .previousChange: showResult((debugger.query?.position ?? 1) - 1, on: debugger)
        case .pinCell, .pinAggregate: pinQueryResults(on: debugger)
        case .clearFilter: closeResults(on: debugger)
        default: return false
        }
        return true
    }

    /// `:query QUERY`: runs a query of the `Timeline` engine (docs/QUERY.md)
    /// on the branch shown (unless it says `on`), lists its rows in the
    /// results pane, and goes to the first row's checkpoint and entity (an
    /// aggregate stays put: `w` in the pane pins its series as a watch).
    static func runQuery(_ text: String, on debugger: Debugger) {
        guard !text.isEmpty else { debugger.message = ("query takes a query, like first tick where Health.value < 0", true); return }
        do {
            var query = try Query.parse(text)
            if query.branch == nil { query.branch = debugger.branch }
            let result = try debugger.store.run(query, limit: 10_000)
            let kept = QueryResults(text: text, result: result, form: query.form)
            debugger.query = kept
            debugger.focus = .results
            guard !kept.rows.isEmpty else { debugger.message = ("query: no rows in \(result.checkpointsRead) checkpoints", false); return }
            if kept.isAggregate {
                debugger.message = ("\(result.valueNames.first ?? "query"): one value for each of \(result.rows.count) checkpoints (w pins it as a watch, Enter goes to one)", false)
            } else {
                showResult(0, on: debugger)
            }
        } catch {
            debugger.message = ("query: \(error.message)", true)
        }
    }

    /// `w` in the results pane: the aggregate's values as a watch along
    /// the timeline.
    static func pinQueryResults(on debugger: Debugger) {
        guard let query = debugger.query, let series = query.series(along: debugger.cursor.checkpoints.map(\.id)) else {
            debugger.message = ("w pins an aggregate query's series (count, min, max, mean, sum)", true)
            return
        }
        debugger.watches.append(series)
        debugger.message = ("watching \(series.subject)", false)
    }

    /// Esc in the results pane: closes it.
    static func closeResults(on debugger: Debugger) {
        debugger.query?.isShown = false
        if debugger.focus == .results { debugger.focus = .table }
    }

    /// Goes to row `index` of the last query's results.
    static func showResult(_ index: Int, on debugger: Debugger) {
        guard let query = debugger.query, !query.rows.isEmpty else { debugger.message = ("no query results; :query runs one", true); return }
        guard query.rows.indices.contains(index) else {
            debugger.message = ("\(index < 0 ? "first" : "last") of \(query.rows.count) query results", false)
            return
        }
        debugger.query?.position = index
        let row = query.rows[index]
        guard let checkpoint = debugger.store.checkpoint(row.checkpoint) else { debugger.message = ("\(row.checkpoint) is gone", true); return }
        do { try debugger.show(checkpoint) } catch { debugger.message = (error.description, true); return }
        if let entity = row.entity { TableController.gotoEntity(String(entity.rawValue), on: debugger) }
        if debugger.message?.isError == true { return }
        let values = row.values.map(\.description).joined(separator: " ")
        debugger.message = ("result \(index + 1) of \(query.rows.count): \(row.checkpoint) tick \(row.tick)"
                   + (row.entity.map { " #\($0.rawValue)" } ?? "") + (values.isEmpty ? "" : " \(values)") + "  (} next, { previous)", false)
    }
}
