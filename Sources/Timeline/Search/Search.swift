import PackCodec

/// A walk along the timeline that stops at a checkpoint: where the selected
/// cell changes, or where the filter first matches. It runs a checkpoint
/// at a time so the screen shows progress and Esc cancels it.
package struct Search {
    package enum Goal {
        /// The value seen at the previous visit.
        case cellChange(forward: Bool, probe: CellProbe, previous: FieldValue?)
        case firstMatch(FilterExpression, components: ArchetypeSignature, lastHashes: [ContentHash]?)
    }

    /// What is looked for, as the progress line says it (`looking for …`).
    package var label: String
    /// What was looked for, as the result says it (`first match of …`).
    package var subject: String
    package var goal: Goal
    /// Timeline indices to visit, in order.
    package var indices: [Int]
    package var next = 0
    /// Checkpoints answered without decoding: from block hashes, or from
    /// block statistics that rule the filter out.
    package var skipped = 0
    /// Checkpoints that could not be read on the way, skipped.
    package var unreadable: [CheckpointID] = []
    /// The index found, once found.
    package var found: Int?
    /// The current position, where a backward cell search started.
    package let origin: Int

    package init(label: String, subject: String, goal: Goal, indices: [Int], origin: Int) {
        self.label = label
        self.subject = subject
        self.goal = goal
        self.indices = indices
        self.origin = origin
    }

    package var isDone: Bool { found != nil || next >= indices.count }

    /// Visits one checkpoint.
    package mutating func step(_ timeline: [Checkpoint], store: CheckpointStore) throws(TimelineError) {
        guard !isDone else { return }
        let index = indices[next]
        next += 1
        let checkpoint = timeline[index]
        switch goal {
        case .cellChange(let forward, var probe, let previous):
            let before = probe.skipped
            let value = try probe.value(at: checkpoint, store: store)
            skipped += probe.skipped - before
            if value != previous {
                // Forward: the change happens here. Backward: it happened at
                // the later neighbour, unless that is where we started.
                let at = forward ? index : index + 1
                if forward || at != origin { found = at }
            }
            goal = .cellChange(forward: forward, probe: probe, previous: value)
        case .firstMatch(let expression, let components, let lastHashes):
            guard let archetype = checkpoint.archetype(components) else {
                goal = .firstMatch(expression, components: components, lastHashes: nil)
                return
            }
            let keys = archetype.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
            let needed = Set(expression.columnKeys.compactMap { keys.firstIndex(of: $0) }).sorted()
            let hashes = needed.map { archetype.columns[$0].contentHash } + [archetype.entities.contentHash]
            if hashes == lastHashes || !expression.condition.mayMatch(archetype) {
                // The same blocks as a checkpoint that did not match, or blocks whose bounds cannot.
                skipped += 1
                goal = .firstMatch(expression, components: components, lastHashes: hashes)
                return
            }
            let decoded = try store.columns(needed.map { archetype.columns[$0] }, label: checkpoint.id.description)
            var columns = [Column](repeating: Column(type: .bool), count: keys.count)
            for (column, values) in zip(needed, decoded) { columns[column] = values }
            let ids = expression.readsID ? try store.entities(archetype.entities, label: checkpoint.id.description) : []
            let matches: RowSet
            do { matches = try expression.matchingRowSet(keys: keys, columns: columns, count: archetype.entityCount, ids: ids) } catch {
                throw .invalidRequest("filter: \(error.description)")
            }
            if !matches.isEmpty { found = index }
            goal = .firstMatch(expression, components: components, lastHashes: hashes)
        }
    }
}
