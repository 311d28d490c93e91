import PackCodec

extension CheckpointStore {
    /// What changed from checkpoint `a` to checkpoint `b` (any two, on any
    /// branches). Blocks with equal content hashes are skipped without
    /// decoding, so the cost follows what changed, not the world's size.
    public func diff(_ a: CheckpointID, _ b: CheckpointID) throws(TimelineError) -> SnapshotDiff {
        guard let first = checkpoint(a) else { throw .unknownCheckpoint(a.description) }
        guard let second = checkpoint(b) else { throw .unknownCheckpoint(b.description) }
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
        // second's are usually deltas on them and then apply from the cache.
        var changedColumns: [BlockRef] = []
        for archA in first.archetypes {
            guard let archB = second.archetype(archA.signature) else { continue }
            for (refA, refB) in zip(archA.columns, archB.columns) where refA.contentHash != refB.contentHash { changedColumns.append(refA) }
        }
        blocks.prefetchColumns(changedColumns)
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
                    let result = RowPairs(old: try entityList(second, bi, &diff), new: try entityList(first, ai, &diff))
                    rowPairs = result
                    return result
                }
                if !sameArchetype {
                    // Entities moved between these two archetypes.
                    let moved = try pairs()
                    if moved.pairedCount == 0 { continue }
                    let idsA = try entityList(first, ai, &diff)
                    for row in idsA.indices where moved.oldRow[row] >= 0 {
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
                        let valuesA = try column(refA, label: "\(component.name).\(field.name) of \(a)")
                        let valuesB = try column(refB, label: "\(component.name).\(field.name) of \(b)")
                        diff.blocksDecoded += 2
                        // The same comparison as the screen's: bit patterns, row against partner row.
                        let differing: [(Int, Int)]
                        if sameRows {
                            differing = valuesA.rowsDiffering(from: valuesB).rows.map { ($0, $0) }
                        } else {
                            let matched = try pairs()
                            if matched.pairedCount == 0 { continue }
                            differing = valuesA.rowsDiffering(from: valuesB, pairs: matched).rows.map { ($0, Int(matched.oldRow[$0])) }
                        }
                        if differing.isEmpty { continue }
                        perField.append(FieldChanges(component: component.name, field: field.name, rows: differing, old: valuesA, new: valuesB))
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
        // The kind from the record's header first: a full block is not read.
        let deltaKinds = [ColumnDelta.kind, ColumnDelta.remappedKind]
        guard let file = dataFiles[ref.file], deltaKinds.contains(try file.recordKind(payloadAt: ref.offset)) else { return nil }
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        guard deltaKinds.contains(kind) else { return nil }
        do throws(PackError) {
            let delta = try ColumnDelta(payload: payload, kind: kind)
            guard delta.remap == nil, delta.base.contentHash == base.contentHash else { return nil }
            let rows = try delta.rows.decodeColumn(label: "changed rows")
            guard rows.type == .uint32 else { throw PackError.malformed(offset: Int(ref.offset), reason: "delta rows are not u32") }
            let changed = rows.values(as: UInt32.self)
            // Rows index the archetype's columns: none may lie past its entities.
            if let count = ref.valueCount, let bad = changed.first(where: { Int($0) >= count }) {
                throw PackError.malformed(offset: Int(ref.offset), reason: "delta row \(bad) past \(count) rows")
            }
            guard withValues, delta.xorsValues else { return (changed, nil) }
            let values = try delta.values.decodeColumn(label: "changed values")
            guard values.type.width != nil, values.count == changed.count else {
                throw PackError.malformed(offset: Int(ref.offset), reason: "\(values.count) delta values for \(changed.count) rows")
            }
            return (changed, values.storage)
        } catch {
            throw .file(path: file.path, error)
        }
    }

    private func entityList(_ checkpoint: Checkpoint, _ archetype: Int, _ diff: inout SnapshotDiff) throws(TimelineError) -> [EntityID] {
        let ref = checkpoint.archetypes[archetype].entities
        if let cached = blocks.entityCache.get(ref.contentHash) {
            try blocks.checkCount(cached.count, of: ref)
            return cached
        }
        let ids = try entities(ref, label: "entity ids of archetype \(archetype) of \(checkpoint.id)")
        diff.blocksDecoded += 1
        return ids
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
