import PackCodec

/// Reads one entity's field at checkpoint after checkpoint, skipping any
/// checkpoint whose id block and column block have the same content hashes
/// as the last one read: the value cannot have changed, so nothing is
/// decoded.
package struct CellProbe {
    package let entity: EntityID
    package let key: ColumnKey
    /// The archetype's components: the entity is looked for there.
    package let components: ArchetypeSignature
    private var lastIDs: ContentHash?
    private var lastColumn: ContentHash?
    private var lastRow: Int?
    private var lastValue: FieldValue?
    /// Checkpoints answered from the hashes alone.
    private(set) var skipped = 0

    package init(entity: EntityID, key: ColumnKey, components: ArchetypeSignature) {
        self.entity = entity
        self.key = key
        self.components = components
    }

    /// The value at `checkpoint`, or `nil` when the entity is not in that
    /// archetype there.
    package mutating func value(at checkpoint: Checkpoint, store: CheckpointStore) throws(TimelineError) -> FieldValue? {
        guard let archetype = checkpoint.archetype(components),
            let column = archetype.columnIndex(key.component, key.field)
        else {
            lastIDs = nil
            return nil
        }
        let ids = archetype.entities.contentHash, values = archetype.columns[column].contentHash
        if ids == lastIDs, values == lastColumn {
            skipped += 1
            return lastValue
        }
        if ids != lastIDs {
            let list = try store.entities(archetype.entities, label: "entity ids of \(checkpoint.id)")
            lastRow = list.firstIndex(of: entity)
        }
        lastIDs = ids
        lastColumn = values
        lastValue = try lastRow.map { row throws(TimelineError) in try store.column(archetype.columns[column], label: "\(key) of \(checkpoint.id)").value(at: row) }
        return lastValue
    }
}

extension FieldValue {
    /// The value as a number for sparklines (`nil` for text and bytes).
    package var number: Double? {
        switch self {
        case .bool(let v): v ? 1 : 0
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .float32(let v): Double(v)
        case .float64(let v): v
        case .string, .bytes: nil
        }
    }
}

extension QueryValue {
    /// The value as a number for a watch (`nil` for text and bytes).
    package var number: Double? {
        switch self {
        case .field(let value): value.number
        case .number(let value): value
        case .count(let value): Double(value)
        }
    }
}
