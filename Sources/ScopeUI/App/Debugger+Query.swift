import PackCodec
import Timeline

extension Debugger {
    /// `:query QUERY`: runs a query of the `Timeline` engine (docs/QUERY.md)
    /// on the branch shown (unless it says `on`), keeps its rows, and goes
    /// to the first: its checkpoint and entity. An aggregate's series is
    /// reported in the status line; `W` pins one as a watch.
    func runQuery(_ text: String) {
        guard !text.isEmpty else { message = ("query takes a query, like first tick where Health.value < 0", true); return }
        do {
            var query = try Query.parse(text)
            if query.branch == nil { query.branch = branch }
            let result = try store.run(query, limit: 10_000)
            var isAggregate = false
            if case .aggregate = query.form { isAggregate = true }
            queryResults = result.rows
            queryPosition = 0
            lastQuery = (text, result.valueNames, isAggregate)
            showsResults = true
            focus = .results
            guard !queryResults.isEmpty else { message = ("query: no rows in \(result.checkpointsRead) checkpoints", false); return }
            if isAggregate {
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
        guard lastQuery.isAggregate, !queryResults.isEmpty else { message = ("w pins an aggregate query's series (count, min, max, mean, sum)", true); return }
        var values: [CheckpointID: Double] = [:]
        for row in queryResults { if let number = row.values.first?.number { values[row.checkpoint] = number } }
        watches.append(Series(.query(text: lastQuery.text, name: lastQuery.valueNames.first ?? lastQuery.text, values: values),
                              checkpoints: cursor.checkpoints.map(\.id)))
        message = ("watching \(lastQuery.valueNames.first ?? lastQuery.text)", false)
    }

    /// Esc in the results pane: closes it.
    func closeResults() {
        showsResults = false
        if focus == .results { focus = .table }
    }

    /// Goes to row `index` of the last query's results.
    func showResult(_ index: Int) {
        guard !queryResults.isEmpty else { message = ("no query results; :query runs one", true); return }
        guard queryResults.indices.contains(index) else {
            message = ("\(index < 0 ? "first" : "last") of \(queryResults.count) query results", false)
            return
        }
        queryPosition = index
        let row = queryResults[index]
        guard let checkpoint = store.checkpoint(row.checkpoint) else { message = ("\(row.checkpoint) is gone", true); return }
        do { try show(checkpoint) } catch { message = (error.description, true); return }
        if let entity = row.entity { gotoEntity(String(entity.rawValue)) }
        if message?.isError == true { return }
        let values = row.values.map(\.description).joined(separator: " ")
        message = ("result \(index + 1) of \(queryResults.count): \(row.checkpoint) tick \(row.tick)"
                   + (row.entity.map { " #\($0.rawValue)" } ?? "") + (values.isEmpty ? "" : " \(values)") + "  (} next, { previous)", false)
    }
}
