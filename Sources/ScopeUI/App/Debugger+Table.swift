import FoundationEssentials
import PackCodec
import Timeline

extension Debugger {
    /// Loads the current archetype of the current checkpoint through the
    /// session (decoded, compared with the diff base); then re-applies the
    /// sort and the filter, keeps the selected entity selected, and moves
    /// the watches and the lifeline onto the timeline shown.
    func load() throws(TimelineError) {
        // Stepping keeps the eye on the same entity while it is in the table.
        let following = table?.archetype == archetypeIndex ? selectedCell?.entity : nil
        do { archetypeIndex = try session.load(archetype: archetypeIndex) } catch {
            tableState.shownRows = nil
            throw error
        }
        guard let table else { tableState.shownRows = nil; return }
        if let problem = tableState.settle(on: table, following: following) { message = (problem, true) }
        if showsInspector { refreshHistory() }
        // Watches run along the timeline shown: rebuild them when it changed.
        let timeline = cursor.checkpoints.map(\.id)
        if watches.contains(where: { $0.checkpoints != timeline }) { watches = watches.map { Series($0.source, checkpoints: timeline) } }
        if let lifeline, lifeline.checkpoints.map(\.id) != timeline { self.lifeline = Lifeline(entity: lifeline.entity, along: cursor.checkpoints) }
    }

    /// Sets (or, with empty text, clears) the row filter.
    func applyFilter(_ text: String) {
        let trimmed = text.trimmingBlanks
        guard !trimmed.isEmpty else {
            // The selected entity stays selected among all the rows.
            if let problem = tableState.setFilter(nil, text: nil, on: table) { message = (problem, true) }
            return
        }
        do {
            let parsed = try FilterExpression.parse(trimmed)
            // Names and types against the checkpoint shown: a typo is an error, never a filter that hides every row.
            if let schema = cursor.current?.schema { try parsed.check(against: schema) }
            if let problem = tableState.setFilter(parsed, text: trimmed, on: table) { message = (problem, true) }
        } catch {
            message = ("filter: \(error.description)", true)
        }
    }

    /// Recomputes the rows shown: sorted, then filtered.
    func reorder() {
        if let problem = tableState.reorder(table) { message = (problem, true) }
    }
}
