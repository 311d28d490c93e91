import PackCodec

extension CheckpointStore {
    /// What changed from checkpoint `a` to checkpoint `b` (any two, on any
    /// branches), by the one diff engine (``DiffEngine``). Blocks with equal
    /// content hashes are skipped without decoding, so the cost follows what
    /// changed, not the world's size.
    public func diff(_ a: CheckpointID, _ b: CheckpointID) throws(TimelineError) -> SnapshotDiff {
        try DiffEngine(store: self).diff(a, b)
    }

    /// The rows where column `ref` differs from column `base`, read from the
    /// delta record when `ref` is stored as a delta on `base`: only the
    /// delta's row list is decoded, never the column. `nil` when `ref` is
    /// not such a delta, or is one whose rows were remapped (its row list
    /// then numbers rows of a rearranged base, not of `base`).
    public func changedRows(of ref: BlockRef, against base: BlockRef) throws(TimelineError) -> [UInt32]? {
        try blocks.deltaChange(of: ref, against: base, withValues: false)?.rows
    }
}

/// An archetype's identity for the no-moves shortcut: components and id block.
struct ArchetypeKey: Hashable {
    var signature: ArchetypeSignature
    var ids: ContentHash
}

extension StoredArchetype {
    /// The index of `component.field` among the columns, or `nil` when the
    /// archetype lacks it.
    public func columnIndex(_ component: String, _ field: String) -> Int? {
        var index = 0
        for candidate in components {
            if candidate.name == component { return candidate.fieldIndex(named: field).map { index + $0 } }
            index += candidate.fields.count
        }
        return nil
    }
}
