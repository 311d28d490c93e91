import PackCodec

/// Steps that start from the world shown. Back: the previous checkpoint's
/// columns and ids are rebuilt from the shown ones (undo patches, the
/// shown columns' delta records, what crossing a chain start taught)
/// instead of being decoded, and the patches for the next step back are
/// made from what a step decoded. Forward: the deltas stored on the shown
/// columns are applied to them in place (``columnsLeftBehind(by:shown:)``).
extension Session {
    /// Puts into the cache the columns and ids of `stored` (the archetype
    /// a step lands on) that the shown ones can be turned back into.
    func rebuildFromShown(_ stored: StoredArchetype) {
        if let undo = idsUndo, undo.target.contentHash == stored.entities.contentHash, store.blocks.cachedEntities(stored.entities) == nil,
            let source = store.blocks.cachedEntities(undo.source), let ids = undo.apply(to: source) {
            store.blocks.cacheEntities(ids, as: stored.entities)
        }
        let missing = stored.columns.filter { store.blocks.cachedColumn($0) == nil }
        // The shown columns' delta records that say how to undo them (each once), read on all cores.
        var undone = Set<ContentHash>()
        let fromDeltas = missing.compactMap { ref -> (BlockRef, BlockRef)? in
            guard undoPatches[ref.contentHash] == nil, let source = deltaSources[ref.contentHash], store.blocks.cachedColumn(source) != nil,
                undone.insert(ref.contentHash).inserted else { return nil }
            return (source, ref)
        }
        let changes = Dictionary(uniqueKeysWithValues: zip(fromDeltas.map(\.1.contentHash), store.blocks.deltaChanges(fromDeltas, withValues: true)))
        var patches: [(ref: BlockRef, patch: UndoPatch)] = []
        for ref in missing {
            if let patch = undoPatches[ref.contentHash] {
                patches.append((ref, patch))
            } else if let sourceRef = deltaSources[ref.contentHash], let source = store.blocks.cachedColumn(sourceRef),
                let change = try? changes[ref.contentHash]?.get(), let xor = change.xorValues,
                let patch = UndoPatch(from: sourceRef, to: ref, currentColumn: source, rows: change.rows, xorValues: xor) {
                patches.append((ref, patch))
            } else if let (patch, _) = learnt.patch(rebuilding: ref, from: { store.blocks.cachedColumn($0) }) {
                patches.append((ref, patch))
            }
        }
        // A shown column that only one patch starts from, and that the
        // checkpoint landed on does not hold, is needed by nothing after this
        // step: that patch takes it out of the cache and patches it in place
        // (a copy and a page fault for every page of it saved).
        var uses: [ContentHash: Int] = [:]
        for (_, patch) in patches { uses[patch.source.contentHash, default: 0] += 1 }
        let landedOn = Set(stored.columns.map(\.contentHash))
        var sources: [Column?] = patches.map { _, patch in
            let hash = patch.source.contentHash, alone = uses[hash] == 1 && !landedOn.contains(hash)
            return alone ? store.blocks.takeCachedColumn(patch.source) : store.blocks.cachedColumn(patch.source)
        }
        // The patches on all cores, each on its own column: handed over, not copied, where it is the only reference (`alone`).
        let rebuilt = sources.withUnsafeMutableBufferPointer { sources in
            AllCores.map(patches.count) { index -> Column? in
                guard let source = sources[index].take() else { return nil }
                return patches[index].patch.apply(to: consume source)
            }
        }
        // A patch that does not fit its source leaves the column to be decoded.
        for ((ref, _), column) in zip(patches, rebuilt) { if let column { store.blocks.cacheColumn(column, as: ref) } }
    }

    /// After a step forward from `shown` onto `stored`: the shown columns
    /// that a delta block of `stored` on the same rows is stored on, by that
    /// block's hash, which nothing needs once it is applied: the diff reads
    /// the delta's rows, and a step back reads the delta records
    /// (`deltaSources`). Not with a fixed diff base, not where rows moved
    /// (the undo patches that carry the remap read the shown columns), not a
    /// column the landing checkpoint also holds or that two columns share.
    func columnsLeftBehind(by stored: StoredArchetype, shown: StoredArchetype?) -> [ContentHash: ContentHash] {
        guard diffBase == nil, let shown, shown.entities.contentHash == stored.entities.contentHash, shown.columns.count == stored.columns.count
        else { return [:] }
        var uses: [ContentHash: Int] = [:]
        for ref in shown.columns + stored.columns { uses[ref.contentHash, default: 0] += 1 }
        var handing: [ContentHash: ContentHash] = [:]
        for (old, new) in zip(shown.columns, stored.columns)
        where old.contentHash != new.contentHash && uses[old.contentHash] == 1 && store.blocks.cachedColumn(new) == nil
            && store.blocks.storesChange(of: new, from: old) {
            handing[new.contentHash] = old.contentHash
        }
        return handing
    }

    /// Patches that rebuild the previous checkpoint's changed columns of
    /// this archetype from the shown ones, where its columns are still
    /// decoded, and it has the same rows (and `learnt` does not already say
    /// how) or rows that moved as a ``RowRemap`` says.
    static func undoPatches(to previous: Checkpoint?, from stored: StoredArchetype, changes: ArchetypeChanges?,
                            store: CheckpointStore, learnt: LearntChanges) -> [ContentHash: UndoPatch] {
        guard let previous, let changes, let before = previous.archetype(stored.signature), before.columns.count == stored.columns.count,
            changes.columns.count == stored.columns.count
        else { return [:] }
        let sameRows = before.entities.contentHash == stored.entities.contentHash
        guard sameRows || changes.remap != nil else { return [:] }
        // From the previous columns where they are still decoded (where they
        // are not, a step back reads the delta records: `deltaSources`).
        var wanted: [(old: BlockRef, new: BlockRef, oldColumn: Column, changed: RowSet?)] = []
        for (index, changed) in changes.columns.enumerated() {
            let (old, new) = (before.columns[index], stored.columns[index])
            guard old.contentHash != new.contentHash, let oldColumn = store.blocks.cachedColumn(old) else { continue }
            if sameRows, changed == nil || learnt.knows(old, new) { continue }
            wanted.append((old, new, oldColumn, changed))
        }
        // Made on all cores: where entities came and went, every column has one (7 took 5 ms at 1M rows).
        let made = AllCores.map(wanted.count) { index in
            let (old, new, oldColumn, changed) = wanted[index]
            return sameRows
                ? UndoPatch(from: new, to: old, previousColumn: oldColumn, changed: changed!)
                : UndoPatch(from: new, to: old, previousColumn: oldColumn, changed: changed, remap: changes.remap!, currentCount: stored.entityCount)
        }
        var patches: [ContentHash: UndoPatch] = [:]
        for (index, patch) in made.enumerated() { if let patch { patches[wanted[index].old.contentHash] = patch } }
        return patches
    }

    /// How to rebuild the previous checkpoint's ids of this archetype from
    /// the shown ones, where entities left and joined as a ``RowRemap``
    /// says and the previous ids are still decoded.
    static func idsUndo(to previous: Checkpoint?, from stored: StoredArchetype, changes: ArchetypeChanges?, store: CheckpointStore) -> EntityIDsUndo? {
        guard let previous, let remap = changes?.remap, let before = previous.archetype(stored.signature),
            before.entities.contentHash != stored.entities.contentHash, let previousIDs = store.blocks.cachedEntities(before.entities)
        else { return nil }
        return EntityIDsUndo(from: stored.entities, to: before.entities, previousIDs: previousIDs, remap: remap, currentCount: stored.entityCount)
    }
}
