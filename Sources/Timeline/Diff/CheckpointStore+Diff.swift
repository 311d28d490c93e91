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
        try deltaChange(of: ref, against: base, withValues: false)?.rows
    }

    /// What a delta record says changed from `base` to `ref`: its rows and,
    /// when asked and the delta stores them XORed with the base's (kind 3),
    /// those XORed values, from which the base's values at the rows follow
    /// without decoding the base (`old = new ^ stored`). `nil` as for
    /// ``changedRows(of:against:)``.
    func deltaChange(of ref: BlockRef, against base: BlockRef, withValues: Bool) throws(TimelineError) -> (rows: [UInt32], xorValues: [UInt8]?)? {
        guard let (rows, xorValues, _) = try deltaChange(of: ref, against: base, withValues: withValues, remapped: false) else { return nil }
        return (rows, xorValues)
    }

    /// What a delta record of `ref` on `base` whose base rows are remapped
    /// (entities left and joined) says: the rows that differ, numbered in
    /// `ref`'s layout, and the remap. The rows that are neither removed nor
    /// appended are the base's others in order, so a row below the kept
    /// count changed from its partner exactly when it is listed. `nil`
    /// when `ref` is no such delta.
    func remappedChange(of ref: BlockRef, against base: BlockRef) throws(TimelineError) -> (rows: [UInt32], remap: RowRemap)? {
        guard let (rows, _, remap) = try deltaChange(of: ref, against: base, withValues: false, remapped: true), let remap else { return nil }
        return (rows, remap)
    }

    private func deltaChange(of ref: BlockRef, against base: BlockRef, withValues: Bool, remapped: Bool)
        throws(TimelineError) -> (rows: [UInt32], xorValues: [UInt8]?, remap: RowRemap?)? {
        // The kind from the record's header first: a full block is not read.
        let deltaKinds = remapped ? [ColumnDelta.remappedKind] : [ColumnDelta.kind, ColumnDelta.remappedKind]
        guard let file = dataFiles[ref.file], deltaKinds.contains(try file.recordKind(payloadAt: ref.offset)) else { return nil }
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        guard deltaKinds.contains(kind) else { return nil }
        do throws(PackError) {
            let delta = try ColumnDelta(payload: payload, kind: kind)
            guard (delta.remap != nil) == remapped, delta.base.contentHash == base.contentHash else { return nil }
            let rows = try delta.rows.decodeColumn(label: "changed rows")
            guard rows.type == .uint32 else { throw PackError.malformed(offset: Int(ref.offset), reason: "delta rows are not u32") }
            let changed = rows.values(as: UInt32.self)
            // Rows index the archetype's columns: none may lie past its entities.
            if let count = ref.valueCount, let bad = changed.first(where: { Int($0) >= count }) {
                throw PackError.malformed(offset: Int(ref.offset), reason: "delta row \(bad) past \(count) rows")
            }
            guard withValues, delta.xorsValues else { return (changed, nil, delta.remap) }
            let values = try delta.values.decodeColumn(label: "changed values")
            guard values.type.width != nil, values.count == changed.count else {
                throw PackError.malformed(offset: Int(ref.offset), reason: "\(values.count) delta values for \(changed.count) rows")
            }
            return (changed, values.storage, delta.remap)
        } catch {
            throw .file(path: file.path, error)
        }
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
