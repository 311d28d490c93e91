import PackCodec

/// Decoding ahead: after a step, the columns that a step further the same
/// way will have to decode, because it crosses the start of a delta chain,
/// are decoded on a background thread while the user looks at the steps
/// before it. Forward, that is the full blocks of the checkpoint where a
/// chain starts; back, the end of the previous chain, which the chain
/// start's diff compares with and which the step after lands on (and,
/// where entities came or went, the checkpoint before, which is paired
/// with the one after by id). Without this, such a step decodes a whole
/// chain while the user waits for it.
extension Session {
    /// How many checkpoints ahead a step looks for a chain start: the
    /// longest delta chain, so that decoding starts right after the last one.
    static let decodeAheadDistance = ColumnDelta.maxChainDepth + 1

    /// `+1` when the cursor has moved one checkpoint forward from `shown`
    /// (the checkpoint shown before), `-1` one back, `0` otherwise.
    func step(from shown: CheckpointID?) -> Int {
        guard let shown else { return 0 }
        let position = cursor.position, checkpoints = cursor.checkpoints
        if position > 0, checkpoints.indices.contains(position), checkpoints[position - 1].id == shown { return 1 }
        if checkpoints.indices.contains(position + 1), checkpoints[position + 1].id == shown { return -1 }
        return 0
    }

    /// Starts decoding on a background thread what the nearest step in
    /// direction `step` (`±1`, or `0`: no steps expected) that crosses a
    /// chain start will have to decode, `shown` being the archetype just
    /// loaded. Lets go of what an earlier batch decoded for steps not taken.
    func decodeAhead(forStep step: Int, after shown: StoredArchetype) {
        guard step != 0, diffBase == nil else { return store.decodeAhead([]) }
        let checkpoints = cursor.checkpoints
        // Pairs (later, earlier) of neighbours, nearest first, in the direction of travel.
        let laters = step > 0
            ? Array((cursor.position + 1)..<min(checkpoints.count, cursor.position + 1 + Self.decodeAheadDistance))
            : Array(stride(from: cursor.position, to: max(0, cursor.position - Self.decodeAheadDistance), by: -1))
        for index in laters where index > 0 {
            guard let later = checkpoints[index].archetype(shown.signature), let earlier = checkpoints[index - 1].archetype(shown.signature),
                later.columns.count == earlier.columns.count, later.columns.count == shown.columns.count
            else { break }
            // Entities that came or went: the earlier world is paired with the later by id, whole.
            let rowsMoved = later.entities.contentHash != earlier.entities.contentHash
            var wanted: [BlockRef] = []
            for (new, old) in zip(later.columns, earlier.columns)
            where new.contentHash != old.contentHash && !learnt.knows(new, old) && (rowsMoved && step < 0 || store.isFullBlock(new)) {
                // Back from the checkpoint shown, an undo patch may already rebuild the earlier column.
                if step < 0, index == cursor.position, undoPatches[old.contentHash] != nil { continue }
                wanted.append(step > 0 ? new : old)
            }
            if !wanted.isEmpty { return store.decodeAhead(wanted) }
        }
        store.decodeAhead([])
    }
}
