import PackCodec

/// The one diff engine: what changed between two checkpoints of a store
/// (any two, on any branches), entity by entity. `tickscope diff`,
/// `diverge`, the debugger's `B` and ``Divergence`` use it; the screen's
/// highlights (``ArchetypeChanges``) pair rows and compare them the same
/// way (``RowPairs``, `Column.rowsDiffering`), so the two agree
/// (`HighlightAgreementTests`).
///
/// Blocks with equal content hashes are skipped without decoding, so the
/// cost follows what changed, not the world's size; the changed cells are
/// made when they are read (``CellChanges``).
///
/// ```swift
/// let diff = try DiffEngine(store: store).diff(a.id, b.id)   // or store.diff(a.id, b.id)
/// print(diff.changed.count, diff.spawned, diff.despawned)
/// ```
struct DiffEngine {
    /// The store both checkpoints are read from (its caches included).
    let store: CheckpointStore

    /// What changed from checkpoint `a` to checkpoint `b` (any two, on any
    /// branches). Blocks with equal content hashes are skipped without
    /// decoding, so the cost follows what changed, not the world's size.
    func diff(_ a: CheckpointID, _ b: CheckpointID) throws(TimelineError) -> SnapshotDiff {
        guard let first = store.checkpoint(a) else { throw .unknownCheckpoint(a.description) }
        guard let second = store.checkpoint(b) else { throw .unknownCheckpoint(b.description) }
        var diff = SnapshotDiff()
        // The same id blocks on both sides (as a multiset) mean the same
        // entities: nobody spawned or despawned, and no id block is decoded.
        let sameEntities = first.archetypes.map(\.entities.contentHash).sorted()
            == second.archetypes.map(\.entities.contentHash).sorted()
        if !sameEntities {
            var inFirst = Set<EntityID>()
            var inSecond = Set<EntityID>()
            for index in first.archetypes.indices { inFirst.formUnion(try entityList(first, index, &diff)) }
            for index in second.archetypes.indices { inSecond.formUnion(try entityList(second, index, &diff)) }
            diff.spawned = inSecond.subtracting(inFirst).sorted()
            diff.despawned = inFirst.subtracting(inSecond).sorted()
        }

        // Every archetype has a twin with the same components and the same
        // id block: no entity can have moved, so pairs of different
        // archetypes need no look at all.
        let twins = Set(second.archetypes.map { ArchetypeKey(signature: $0.signature, ids: $0.entities.contentHash) })
        let membershipUnchanged = first.archetypes.count == second.archetypes.count
            && first.archetypes.allSatisfy { twins.contains(ArchetypeKey(signature: $0.signature, ids: $0.entities.contentHash)) }
        // Each archetype pair yields a run of changes ordered by row, then
        // field; runs are put in entity order at the end.
        var runs: [CellChanges.Run] = []
        var runsInEntityOrder = true
        // Decode the first checkpoint's changed columns on all cores; the
        // second's are usually deltas on them, whose records are read
        // meanwhile and say what changed (``changesFromDelta``).
        var changedColumns: [BlockRef] = []
        var deltas: [(of: BlockRef, against: BlockRef)] = []
        for archA in first.archetypes {
            guard let archB = second.archetype(archA.signature) else { continue }
            for (refA, refB) in zip(archA.columns, archB.columns) where refA.contentHash != refB.contentHash {
                changedColumns.append(refA)
                if archA.entities.contentHash == archB.entities.contentHash { deltas.append((refB, refA)) }
            }
        }
        let deltasRead = store.blocks.prefetchColumns(changedColumns, changes: store.blocks.changeReads(deltas))
        for (ai, archA) in first.archetypes.enumerated() {
            for (bi, archB) in second.archetypes.enumerated() {
                let sameArchetype = archA.signature == archB.signature
                if membershipUnchanged && !sameArchetype { continue }
                // Pair rows of entities that sit in archetype ai of A and bi of B:
                // for each row of A, its row in B (the pairing the screen's highlights use).
                let sameRows = sameArchetype && archA.entities.contentHash == archB.entities.contentHash
                var rowPairs: RowPairs?
                func pairs() throws(TimelineError) -> RowPairs {
                    if let rowPairs { return rowPairs }
                    var result = RowPairs(old: try entityList(second, bi, &diff), new: try entityList(first, ai, &diff))
                    result.listPartners()
                    rowPairs = result
                    return result
                }
                if !sameArchetype {
                    // Entities moved between these two archetypes.
                    let moved = try pairs()
                    if moved.pairedCount == 0 { continue }
                    let idsA = try entityList(first, ai, &diff)
                    let partners = moved.oldRow
                    for row in idsA.indices where partners[row] >= 0 {
                        diff.moved.append(.init(entity: idsA[row], from: archA.signature.names, to: archB.signature.names))
                    }
                }
                var perField: [FieldChanges] = []
                for component in archA.components {
                    for field in component.fields {
                        guard let columnA = archA.columnIndex(component.name, field.name),
                            let columnB = archB.columnIndex(component.name, field.name)
                        else { continue }
                        let refA = archA.columns[columnA], refB = archB.columns[columnB]
                        if sameRows && refA.contentHash == refB.contentHash {
                            diff.blocksSkipped += 1
                            continue
                        }
                        let valuesA = try store.column(refA, label: "\(component.name).\(field.name) of \(a)")
                        if sameRows, let changes = try changesFromDelta(refB, on: refA, values: valuesA,
                                                                         read: deltasRead[.init(of: refB.contentHash, against: refA.contentHash)],
                                                                         component: component.name, field: field.name) {
                            // B is a delta on A: its rows and XORed values say what changed; B is never decoded.
                            diff.blocksDecoded += 1
                            perField.append(changes)
                            continue
                        }
                        let valuesB = try store.column(refB, label: "\(component.name).\(field.name) of \(b)")
                        diff.blocksDecoded += 2
                        // The same comparison as the screen's: bit patterns, row against partner row.
                        let differing: [UInt32]
                        let newRows: FieldChanges.NewRows
                        if sameRows {
                            differing = valuesA.rowsDiffering(from: valuesB).rows.map { UInt32($0) }
                            newRows = .same
                        } else {
                            let matched = try pairs()
                            if matched.pairedCount == 0 { continue }
                            differing = valuesA.rowsDiffering(from: valuesB, pairs: matched).rows.map { UInt32($0) }
                            newRows = .partners(differing.map { UInt32(matched.oldRow[Int($0)]) })
                        }
                        if differing.isEmpty { continue }
                        perField.append(FieldChanges(component: component.name, field: field.name, rows: differing, newRows: newRows, old: valuesA, new: valuesB))
                    }
                }
                if !perField.isEmpty {
                    let ids = try entityList(first, ai, &diff)
                    runs.append(CellChanges.Run(ids: ids, fields: perField))
                    // Rows are in entity order when the ids are ascending.
                    if !ids.withUnsafeBufferPointer({ zip($0, $0.dropFirst()).allSatisfy { $0 < $1 } }) { runsInEntityOrder = false }
                }
            }
        }
        diff.moved.sort { $0.entity < $1.entity }
        diff.changed = CellChanges(runs: runs, inEntityOrder: runs.count <= 1 && runsInEntityOrder)
        return diff
    }

    /// The changes of a field whose column `ref` is stored as an XOR delta
    /// on `base` (decoded: `values`), read off the delta record: its rows,
    /// and the new values `base ^ stored` at them alone, so the new column
    /// is neither decoded nor compared row by row. The rows are those the
    /// delta lists, as the screen's highlights read them. `nil` when `ref`
    /// is not such a delta.
    /// - Parameter read: the record as read ahead, if it was (`.some(nil)`:
    ///   read, and no such delta).
    private func changesFromDelta(_ ref: BlockRef, on base: BlockRef, values: Column, read: (rows: [UInt32], xorValues: [UInt8]?)??,
                                  component: String, field: String) throws(TimelineError) -> FieldChanges? {
        let change = if let read { read } else { try store.blocks.deltaChange(of: ref, against: base, withValues: true) }
        guard let width = values.type.width, let change,
            let xor = change.xorValues, xor.count == change.rows.count * width,
            change.rows.allSatisfy({ Int($0) < values.count })
        else { return nil }
        var new = xor
        values.storage.withUnsafeBytes { old in
            new.withUnsafeMutableBytes { target in
                for (index, row) in change.rows.enumerated() { ColumnDelta.xor(target, at: index * width, with: old, at: Int(row) * width, width: width) }
            }
        }
        // A bool byte other than 0 or 1 is malformed: the full decode reports it.
        guard let changed = try? Column(fixedWidth: values.type, count: change.rows.count, storage: new) else { return nil }
        return FieldChanges(component: component, field: field, rows: change.rows, newRows: .inOrder, old: values, new: changed)
    }

    private func entityList(_ checkpoint: Checkpoint, _ archetype: Int, _ diff: inout SnapshotDiff) throws(TimelineError) -> [EntityID] {
        let ref = checkpoint.archetypes[archetype].entities
        if let cached = store.blocks.entityCache.get(ref.contentHash) {
            try store.blocks.checkCount(cached.count, of: ref)
            return cached
        }
        let ids = try store.entities(ref, label: "entity ids of archetype \(archetype) of \(checkpoint.id)")
        diff.blocksDecoded += 1
        return ids
    }
}
