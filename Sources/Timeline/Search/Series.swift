import PackCodec

/// A number per checkpoint of the timeline: a cell's value, or an
/// aggregate of a column over the filter. The inspector's history and the
/// pinned watches are series; they fill in a checkpoint at a time while
/// the debugger is idle.
public struct Series {
    /// What is measured.
    public enum Source {
        case cell(entity: EntityID, key: ColumnKey, components: ArchetypeSignature)
        case aggregate(Aggregate, key: ColumnKey, components: ArchetypeSignature, filter: FilterExpression?, filterText: String?)
        /// An aggregate query's series (`:query count(...)`), its value by checkpoint.
        case query(text: String, name: String, values: [CheckpointID: Double])
    }

    /// A column aggregate.
    public enum Aggregate: String, CaseIterable, Sendable { case count, min, max, mean }

    /// What the series measures.
    public let source: Source
    /// The timeline it runs along (checkpoint ids, oldest first).
    public let checkpoints: [CheckpointID]
    /// One value per checkpoint computed so far (`nil`: absent there).
    public package(set) var values: [Double?] = []
    /// The exact values of a cell series, for the inspector.
    public package(set) var texts: [String?] = []
    package var probe: CellProbe?
    /// Hashes of the blocks an aggregate read last, and its value.
    private var lastHashes: [ContentHash]?
    private var lastAggregate: Double?

    package init(_ source: Source, checkpoints: [CheckpointID]) {
        self.source = source
        self.checkpoints = checkpoints
        if case let .cell(entity, key, components) = source { probe = CellProbe(entity: entity, key: key, components: components) }
    }

    /// Whether every checkpoint has its value.
    public var isComplete: Bool { values.count == checkpoints.count }

    /// A short label for the watch gutter.
    public var label: String {
        switch source {
        case let .cell(entity, key, _): "\(entity) \(key.field)"
        case let .aggregate(aggregate, key, _, _, _): "\(aggregate.rawValue) \(key.field)"
        case let .query(_, name, _): name
        }
    }

    /// What it measures, named in full: `#265 Health.value`,
    /// `Health.value max`. Drawn beside the watch's current value.
    public var subject: String {
        switch source {
        case let .cell(entity, key, _): "#\(entity.rawValue) \(key)"
        case let .aggregate(aggregate, key, _, _, _): "\(key) \(aggregate.rawValue)"
        case let .query(_, name, _): name
        }
    }

    /// The whole description, for messages.
    public var title: String {
        switch source {
        case let .cell(entity, key, _): "entity \(entity) \(key)"
        case let .aggregate(aggregate, key, _, _, filterText): "\(aggregate.rawValue) of \(key)" + (filterText.map { " where \($0)" } ?? "")
        case let .query(text, _, _): text
        }
    }

    /// Computes the next checkpoint's value.
    package mutating func advance(store: CheckpointStore) throws(TimelineError) {
        guard !isComplete, let checkpoint = store.checkpoint(checkpoints[values.count]) else {
            values.append(nil); texts.append(nil); return
        }
        switch source {
        case .cell:
            let value = try probe!.value(at: checkpoint, store: store)
            values.append(value?.number)
            texts.append(value?.description)
        case let .query(_, _, known):
            let value = known[checkpoint.id]
            values.append(value)
            texts.append(value.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) })
        case let .aggregate(aggregate, key, components, filter, _):
            let result = try Self.aggregate(aggregate, key: key, components: components, filter: filter, at: checkpoint, store: store,
                                            lastHashes: &lastHashes, last: &lastAggregate)
            values.append(result)
            // A count is a whole number; the others print in their shortest exact form.
            texts.append(result.map { aggregate == .count && $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) })
        }
    }

    private static func aggregate(_ aggregate: Aggregate, key: ColumnKey, components: ArchetypeSignature, filter: FilterExpression?,
                                  at checkpoint: Checkpoint, store: CheckpointStore,
                                  lastHashes: inout [ContentHash]?, last: inout Double?) throws(TimelineError) -> Double? {
        guard let archetype = checkpoint.archetype(components),
            let target = archetype.columnIndex(key.component, key.field)
        else { lastHashes = nil; return nil }
        let hashes = [archetype.entities.contentHash] + archetype.columns.map(\.contentHash)
        if hashes == lastHashes { return last }
        let keys = archetype.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
        // Only the columns the filter and the aggregate read are decoded.
        var needed: Set<Int> = [target]
        if let filter { for named in filter.columnKeys { if let index = keys.firstIndex(of: named) { needed.insert(index) } } }
        let order = needed.sorted()
        let decoded = try store.columns(order.map { archetype.columns[$0] }, label: checkpoint.id.description)
        var columns = [Column](repeating: Column(type: .bool), count: keys.count)
        for (index, column) in zip(order, decoded) { columns[index] = column }
        let ids = filter?.readsID == true ? try store.entities(archetype.entities, label: checkpoint.id.description) : []
        let rows: RowSet
        do { rows = try filter?.matchingRowSet(keys: keys, columns: columns, count: archetype.entityCount, ids: ids) ?? .all(archetype.entityCount) } catch {
            throw .invalidRequest("watch filter: \(error.description)")
        }
        var result: Double?
        if aggregate == .count {
            result = Double(rows.count)
        } else {
            var sum = 0.0, low = Double.infinity, high = -Double.infinity, n = 0
            let column = columns[target]
            for row in rows.rows { if let v = column.value(at: row).number, !v.isNaN { sum += v; low = min(low, v); high = max(high, v); n += 1 } }
            if n > 0 { result = aggregate == .min ? low : aggregate == .max ? high : sum / Double(n) }
        }
        lastHashes = hashes
        last = result
        return result
    }
}

