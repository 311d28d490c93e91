import PackCodec

/// Decoding ahead: after a step, what a step further the same way will
/// need because it crosses the start of a delta chain is worked out on a
/// background thread while the user looks at the steps before it. Where
/// the chain start keeps the rows of the checkpoint before it, the thread
/// decodes both versions of each column that starts a new chain there
/// (the full block, and the end of the previous chain) and keeps only what
/// differs (``LearntChanges``): the step onto the chain start, either way,
/// then patches the column shown, and the diff reads the rows, so memory
/// between steps holds a tenth of those columns, not the columns. Where
/// entities came or went, every changed column of the checkpoint the step
/// lands on is decoded ahead (a delta that moves rows costs a copy of the
/// whole column). Without this, such a step decodes a whole chain while
/// the user waits for it.
extension Session {
    /// Runs `body` before any work ahead starts: what a step queues for the
    /// background thread begins once `body` has returned. A front end wraps
    /// a key and the frame that shows it, so that the frame is drawn first
    /// even where the background thread would share the user's core (its
    /// other cores busy); decoding ahead then runs while the user reads the
    /// screen. A step that needs a block not started yet decodes it itself.
    ///
    /// ```swift
    /// Session.holdingWorkAhead {
    ///     debugger.handle(key)
    ///     terminal.draw(debugger.screen(width: 120, height: 40))
    /// }
    /// ```
    public static func holdingWorkAhead<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try BackgroundThread.holdingOff(body)
    }

    /// How many checkpoints ahead a step looks for a chain start: the
    /// longest delta chain, so that decoding starts right after the last one.
    static let decodeAheadDistance = ColumnDelta.maxChainDepth + 1

    /// After a jump or a step, keeps only the learnt crossings among the
    /// checkpoints a chain's length either side of `position` (those its
    /// next steps can reach), so that memory holds what was learnt near the
    /// cursor, and the budget is not spent on crossings a walk left behind
    /// while the ones learnt ahead of it are let go.
    func forgetFarCrossings(around position: Int, of signature: ArchetypeSignature) {
        let checkpoints = cursor.checkpoints
        let near = max(0, position - Self.decodeAheadDistance)..<min(checkpoints.count, position + Self.decodeAheadDistance + 1)
        learnt.keepOnly(involving: Set(checkpoints[near].flatMap { $0.archetype(signature)?.columns.map(\.contentHash) ?? [] }))
    }

    /// `+1` when the cursor has moved one checkpoint forward from `shown`
    /// (the checkpoint shown before), `-1` one back, `0` otherwise.
    func stepDirection(from shown: CheckpointID?) -> Int {
        guard let shown else { return 0 }
        let position = cursor.position, checkpoints = cursor.checkpoints
        if position > 0, checkpoints.indices.contains(position), checkpoints[position - 1].id == shown { return 1 }
        if checkpoints.indices.contains(position + 1), checkpoints[position + 1].id == shown { return -1 }
        return 0
    }

    /// Starts decoding on a background thread what the nearest two steps
    /// in direction `step` (`±1`, or `0`: no steps expected; at either end
    /// of the timeline, the way back) that cross a chain start, or move
    /// rows, will have to decode, `shown` being the archetype just loaded:
    /// the nearer one first, the other right after it; and, when one of
    /// them pairs rows by id (entities came or went), the entity-id list it
    /// needs, first. Lets go of what an earlier batch decoded for
    /// steps not taken, and of every decoded block but the world shown
    /// (the next step's deltas apply onto it, a step back rebuilds from it
    /// with the undo patches) and that id list.
    func decodeAhead(forStep step: Int, after shown: StoredArchetype) {
        let checkpoints = cursor.checkpoints, position = cursor.position
        // After a jump, and as a walk goes on: what was learnt a chain's length behind is not what the next steps need.
        forgetFarCrossings(around: position, of: shown.signature)
        guard step != 0, diffBase == nil, checkpoints.indices.contains(position) else {
            store.blocks.keepCachedBlocks([shown.entities] + shown.columns)
            return store.blocks.ahead.start([])
        }
        let direction = checkpoints.indices.contains(position + step) ? step : -step
        // Pairs (later, earlier) of neighbours, nearest first, in the direction of travel.
        let laters = direction > 0
            ? Array((position + 1)..<min(checkpoints.count, position + 1 + Self.decodeAheadDistance))
            : Array(stride(from: position, to: max(0, position - Self.decodeAheadDistance), by: -1))
        var groups: [[BlockRef]] = []
        var learning: [ContentHash: [BlockRef]] = [:]
        var entities: BlockRef?
        for index in laters where index > 0 && groups.count < 2 {
            guard let later = checkpoints[index].archetype(shown.signature), let earlier = checkpoints[index - 1].archetype(shown.signature),
                later.columns.count == earlier.columns.count, later.columns.count == shown.columns.count
            else { break }
            // Entities that came or went: every changed column moves rows, a copy of the whole column.
            let rowsMoved = later.entities.contentHash != earlier.entities.contentHash
            // The step onto it shows one of the two, or compares with it (back: the one before the checkpoint
            // it lands on); in the batch from now, not from the step before it, whose batch may still be running.
            if rowsMoved, entities == nil {
                let needed = direction > 0 ? later.entities : earlier.entities
                // Back from the checkpoint shown, the ids may be rebuilt from the shown ones.
                let rebuilt = direction < 0 && index == position && idsUndo?.target.contentHash == needed.contentHash
                if needed.contentHash != shown.entities.contentHash, !rebuilt { entities = needed }
            }
            var wanted: [BlockRef] = []
            // The next step forward onto a bridged chain start: the batch reads its bridges (the step would
            // read them itself between the key and its frame), comparing them with the columns shown.
            let bridgedNext = direction > 0 && index == position + 1
            for (new, old) in zip(later.columns, earlier.columns)
            where new.contentHash != old.contentHash && !learnt.knows(new, old)
                && (rowsMoved || !store.blocks.storesChange(of: new, from: old) || (bridgedNext && store.blocks.isFullBlock(new))) {
                // Back from the checkpoint shown, an undo patch may already rebuild the earlier column.
                if direction < 0, index == position, undoPatches[old.contentHash] != nil { continue }
                if rowsMoved {
                    wanted.append(direction > 0 ? new : old)
                } else {
                    // The earlier version is decoded, then compared with the full block.
                    wanted.append(old)
                    learning[old.contentHash, default: []].append(new)
                }
            }
            if !wanted.isEmpty { groups.append(wanted) }
        }
        store.blocks.keepCachedBlocks([shown.entities] + shown.columns + (entities.map { [$0] } ?? []))
        store.blocks.ahead.start(groups, entities: entities, learning: learning)
    }
}
