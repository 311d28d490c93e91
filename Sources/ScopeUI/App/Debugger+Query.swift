import PackCodec
import Timeline

extension Debugger {
    /// `:query QUERY`: runs a query of the `Timeline` engine (docs/QUERY.md)
    /// on the branch shown (unless it says `on`), lists its rows in the
    /// results pane, and goes to the first row's checkpoint and entity (an
    /// aggregate stays put: `w` in the pane pins its series as a watch).
    func runQuery(_ text: String) {
        guard !text.isEmpty else { message = ("query takes a query, like first tick where Health.value < 0", true); return }
        do {
            var query = try Query.parse(text)
            if query.branch == nil { query.branch = branch }
            let result = try store.run(query, limit: 10_000)
            let kept = QueryResults(text: text, result: result, form: query.form)
            self.query = kept
            focus = .results
            guard !kept.rows.isEmpty else { message = ("query: no rows in \(result.checkpointsRead) checkpoints", false); return }
            if kept.isAggregate {
                message = ("\(result.valueNames.first ?? "query"): one value for each of \(result.rows.count) checkpoints (w pins it as a watch, Enter goes to one)", false)
            } else {
                showResult(0)
            }
        } catch {
            message = ("query: \(error.message)", true)
        }
    }

    /// `w` in the results pane: the aggregate's values as a watch along
    /// the timeline.
    func pinQueryResults() {
        guard let query, let series = query.series(along: cursor.checkpoints.map(\.id)) else {
            message = ("w pins an aggregate query's series (count, min, max, mean, sum)", true)
            return
        }
        watches.append(series)
        message = ("watching \(series.subject)", false)
    }

    /// Esc in the results pane: closes it.
    func closeResults() {
        query?.isShown = false
        if focus == .results { focus = .table }
    }

    /// Goes to row `index` of the last query's results.
    func showResult(_ index: Int) {
        guard let query, !query.rows.isEmpty else { message = ("no query results; :query runs one", true); return }
        guard query.rows.indices.contains(index) else {
            message = ("\(index < 0 ? "first" : "last") of \(query.rows.count) query results", false)
            return
        }
        self.query?.position = index
        let row = query.rows[index]
        guard let checkpoint = store.checkpoint(row.checkpoint) else { message = ("\(row.checkpoint) is gone", true); return }
        do { try show(checkpoint) } catch { message = (error.description, true); return }
        if let entity = row.entity { gotoEntity(String(entity.rawValue)) }
        if message?.isError == true { return }
        let values = row.values.map(\.description).joined(separator: " ")
        message = ("result \(index + 1) of \(query.rows.count): \(row.checkpoint) tick \(row.tick)"
                   + (row.entity.map { " #\($0.rawValue)" } ?? "") + (values.isEmpty ? "" : " \(values)") + "  (} next, { previous)", false)
    }
}
