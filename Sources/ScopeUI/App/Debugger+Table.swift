import Foundation
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
            shownRows = nil
            throw error
        }
        guard let table else { shownRows = nil; return }
        if selectedColumn >= table.keys.count { selectedColumn = max(0, table.keys.count - 1) }
        reorder()
        selectedRow = min(selectedRow, max(0, shownCount - 1))
        if let following { select(following) }
        if topRow > selectedRow { topRow = selectedRow }
        if showsInspector { refreshHistory() }
        // Watches run along the timeline shown: rebuild them when it changed.
        let timeline = cursor.checkpoints.map(\.id)
        if watches.contains(where: { $0.checkpoints != timeline }) { watches = watches.map { Series($0.source, checkpoints: timeline) } }
        if let lifeline, lifeline.checkpoints.map(\.id) != timeline { self.lifeline = Lifeline(entity: lifeline.entity, along: cursor.checkpoints) }
    }

    /// Sets (or, with empty text, clears) the row filter.
    func applyFilter(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            // The selected entity stays selected among all the rows.
            let following = selectedCell?.entity
            filterText = nil; filterExpression = nil
            reorder()
            if let following { select(following) }
            return
        }
        do {
            let parsed = try FilterExpression.parse(trimmed)
            // Names and types against the checkpoint shown: a typo is an error, never a filter that hides every row.
            if let schema = cursor.current?.schema { try parsed.check(against: schema) }
            filterExpression = parsed
            filterText = trimmed
            selectedRow = 0; topRow = 0
            reorder()
        } catch {
            message = ("filter: \(error.description)", true)
        }
    }

    /// `s`: ascending on the selected column, then descending, then off.
    func cycleSort() {
        guard let key = selectedCell?.key ?? table?.keys.first else { return }
        let following = selectedCell?.entity
        if let sort, sort.key == key {
            self.sort = sort.descending ? nil : (key, true)
        } else {
            sort = (key, false)
        }
        selectedRow = 0; topRow = 0
        reorder()
        if let following { select(following) }
        message = (sort.map { "sorted by \($0.key) \($0.descending ? "descending" : "ascending")" } ?? "unsorted", false)
    }

    /// Recomputes the rows shown: sorted, then filtered.
    func reorder() {
        guard let table, filterExpression != nil || sort != nil else { shownRows = nil; return }
        var order: [Int]?
        if let sort {
            if let column = table.keys.firstIndex(of: sort.key) {
                order = table.columns[column].sortedRows(descending: sort.descending)
            } else {
                self.sort = nil
            }
        }
        if let filterExpression {
            do {
                let matches = try filterExpression.matchingRowSet(keys: table.keys, columns: table.columns, count: table.ids.count, ids: table.ids)
                order = order.map { $0.filter { matches.contains($0) } } ?? matches.rows
            } catch {
                order = []
                message = ("filter: \(error.description)", true)
            }
        }
        shownRows = order
        selectedRow = min(selectedRow, max(0, shownCount - 1))
    }

    /// Selects `entity`'s row when it is shown (the row kept when it is not),
    /// scrolling it into view.
    func select(_ entity: EntityID) {
        guard let table, shownCount > 0 else { return }
        if table.ids[row(at: selectedRow)] == entity { return }
        let position: Int?
        if let shownRows {
            position = shownRows.firstIndex { table.ids[$0] == entity }
        } else {
            position = table.ids.firstIndex(of: entity)
        }
        guard let position else { return }
        selectedRow = position
        if selectedRow < topRow || selectedRow >= topRow + visibleRows { topRow = max(0, selectedRow - visibleRows / 2) }
    }

    /// `:stats`: what showing the current checkpoint cost.
    func showStatistics() {
        guard let lastLoad = session.lastLoad else { message = ("nothing loaded yet", false); return }
        let reads = lastLoad.reads
        func size(_ bytes: Int) -> String { bytes < 10_000 ? "\(bytes) B" : bytes < 10_000_000 ? "\(bytes / 1000) KB" : "\(bytes / 1_000_000) MB" }
        let ms = (lastLoad.milliseconds * 100).rounded() / 100
        message = ("\(lastLoad.checkpoint): \(reads.blocksDecoded) block\(reads.blocksDecoded == 1 ? "" : "s") decoded (\(size(reads.storedBytes)) stored, "
                   + "\(size(reads.decodedBytes)) decoded), \(reads.cacheHits) cache hit\(reads.cacheHits == 1 ? "" : "s"), \(ms) ms"
                   + (damaged.isEmpty ? "" : "; \(damaged.count) damaged checkpoint\(damaged.count == 1 ? "" : "s") seen"), false)
    }
}
