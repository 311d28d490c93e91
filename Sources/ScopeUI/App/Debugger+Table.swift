import Foundation
import PackCodec
import Timeline

extension Debugger {
    /// The checkpoint diffs compare against: a fixed one, or the previous
    /// one on the timeline.
    var baseCheckpoint: Checkpoint? {
        if let diffBase { return store.checkpoint(diffBase) }
        return cursor.position > 0 ? cursor.checkpoints[cursor.position - 1] : nil
    }

    /// Decodes the current archetype of the current checkpoint and compares
    /// it with the diff base; then re-applies the sort and the filter.
    func load() throws(TimelineError) {
        do {
            try loadTable()
        } catch {
            // Never leave another checkpoint's table under this one's title.
            if let id = cursor.current?.id { damaged[id] = error.description }
            table = nil
            shownRows = nil
            throw error
        }
    }

    private func loadTable() throws(TimelineError) {
        guard let checkpoint = cursor.current else { table = nil; shownRows = nil; return }
        // Stepping keeps the eye on the same entity while it is in the table.
        let following = table?.archetype == archetypeIndex ? selectedCell?.entity : nil
        if archetypeIndex >= checkpoint.archetypes.count { archetypeIndex = 0 }
        guard checkpoint.archetypes.indices.contains(archetypeIndex) else { table = nil; shownRows = nil; return }
        let stored = checkpoint.archetypes[archetypeIndex]
        // A step back: rebuild the columns from the shown ones where an
        // undo patch says how, instead of decoding them.
        for ref in stored.columns where store.cachedColumn(ref) == nil {
            if let patch = undoPatches[ref.contentHash], let source = store.cachedColumn(patch.source), let rebuilt = patch.apply(to: source) {
                store.cacheColumn(rebuilt, as: ref)
            }
        }
        let (ids, columns) = try store.decode(stored, label: checkpoint.id.description)
        let keys = stored.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
        var changes: TableChanges?
        var summary = "diff off (d)"
        if showsDiff, let base = baseCheckpoint, base.id != checkpoint.id {
            let found = try TableChanges.compute(store: store, base: base, current: checkpoint, archetype: archetypeIndex, ids: ids, columns: columns)
            changes = found
            summary = Self.summary(of: found, keys: keys)
        } else if showsDiff {
            summary = diffBase == nil ? "first checkpoint: nothing to compare" : "this is the diff base \(diffBase!)"
        }
        let largest = ids.withUnsafeBufferPointer { $0.reduce(0) { Swift.max($0, $1.rawValue) } }
        table = Table(checkpoint: checkpoint.id, archetype: archetypeIndex, ids: ids, largestID: largest, keys: keys, columns: columns, changes: changes, summary: summary)
        undoPatches = Self.undoPatches(to: diffBase == nil ? baseCheckpoint : nil, from: stored, changes: changes, store: store)
        // Memory holds the world shown: the next step's deltas apply onto
        // it, and a step back rebuilds from it with the undo patches.
        store.keepCachedBlocks([stored.entities] + stored.columns)
        if selectedColumn >= keys.count { selectedColumn = max(0, keys.count - 1) }
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

    /// Patches that rebuild the previous checkpoint's changed columns of
    /// this archetype from the shown ones, where it has the same rows and
    /// its columns are still decoded.
    static func undoPatches(to previous: Checkpoint?, from stored: StoredArchetype, changes: TableChanges?,
                            store: CheckpointStore) -> [[UInt8]: UndoPatch] {
        guard let previous, let changes,
            let before = previous.archetypes.first(where: { $0.components.map(\.name) == stored.components.map(\.name) }),
            before.entities.contentHash == stored.entities.contentHash, before.columns.count == stored.columns.count
        else { return [:] }
        var patches: [[UInt8]: UndoPatch] = [:]
        for (index, changed) in changes.columns.enumerated() {
            guard let changed, let old = store.cachedColumn(before.columns[index]),
                let patch = UndoPatch(from: stored.columns[index], to: before.columns[index], previousColumn: old, changed: changed)
            else { continue }
            patches[before.columns[index].contentHash] = patch
        }
        return patches
    }

    /// `vs c99: 6 spawned, 6 despawned, 1 moved in, 0 out, 567 cells (Health.value 250, …)`.
    static func summary(of changes: TableChanges, keys: [ColumnKey]) -> String {
        var perField: [(String, Int)] = []
        for (index, rows) in changes.columns.enumerated() { if let rows { perField.append((keys[index].description, rows.count)) } }
        perField.sort { $0.1 > $1.1 }
        let fields = perField.prefix(4).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        return "vs \(changes.base): \(changes.spawned.count) spawned, \(changes.despawned) despawned, "
            + "\(changes.movedIn.count) moved in, \(changes.movedOut) out, \(perField.reduce(0) { $0 + $1.1 }) cells"
            + (fields.isEmpty ? "" : " (\(fields))")
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
}
