import PackCodec

extension CheckpointStore {
    /// Deletes checkpoints. A metadata operation: one index record; the
    /// space comes back with ``collectGarbage()``.
    public func delete(_ ids: [CheckpointID]) throws(TimelineError) {
        try writing().delete(ids)
    }

    /// What to prune.
    public enum PruneRule: Sendable, Equatable {
        /// Keep the `n` most recent checkpoints.
        case keepMostRecent(Int)
        /// Delete checkpoints with a tick below this.
        case beforeTick(UInt64)
        /// Delete checkpoints with a tick above this.
        case afterTick(UInt64)
        /// Delete checkpoints with a world time below this.
        case beforeTime(Double)
        /// Delete checkpoints with a world time above this.
        case afterTime(Double)
    }

    /// The checkpoints a rule selects, oldest first, without deleting
    /// anything: what ``prune(_:)`` would delete.
    public func checkpoints(prunedBy rule: PruneRule) -> [Checkpoint] {
        let live = checkpoints
        switch rule {
        case .keepMostRecent(let n): return Array(live.dropLast(max(0, n)))
        case .beforeTick(let tick): return live.filter { $0.tick < tick }
        case .afterTick(let tick): return live.filter { $0.tick > tick }
        case .beforeTime(let time): return live.filter { $0.worldTime < time }
        case .afterTime(let time): return live.filter { $0.worldTime > time }
        }
    }

    /// Deletes the checkpoints a rule selects. A rule trims a recording:
    /// one that would delete every checkpoint of the store (`--keep 0`, or
    /// a tick past the end) is refused with
    /// ``TimelineError/invalidRequest(_:)`` and deletes nothing; to
    /// discard a whole recording, delete its folder, or name the
    /// checkpoints to ``delete(_:)``.
    /// - Returns: the deleted ids.
    @discardableResult
    public func prune(_ rule: PruneRule) throws(TimelineError) -> [CheckpointID] {
        let doomed = checkpoints(prunedBy: rule).map(\.id)
        if !doomed.isEmpty, doomed.count == checkpoints.count {
            throw .invalidRequest("\(path): this would delete all \(doomed.count) checkpoints, the whole recording; prune keeps at least one (delete the folder to discard the recording)")
        }
        try delete(doomed)
        return doomed
    }

    /// Bytes of all files the committed generation references.
    public var bytesOnDisk: UInt64 {
        manifest.index.length + manifest.dataFiles.reduce(0) { $0 + $1.length }
    }

    /// Whether ``collectGarbage()`` has anything to take out: deleted
    /// checkpoints or branches, renames, or more than one data file. A
    /// store that was only ever recorded into (or was just collected) has
    /// not, and `gc` leaves it as it is.
    public var hasGarbage: Bool {
        catalog.recordsGCDrops > 0 || manifest.dataFiles.count > 1
    }

    /// Rewrites the store into new files holding only what live checkpoints
    /// reference, swaps the manifest to them and removes the old files;
    /// when the store has no garbage (``hasGarbage``), writes nothing.
    /// Offline maintenance: needs the writer lock. Killed at any instant,
    /// the store reopens at either the old or the new generation.
    /// - Returns: bytes before and after.
    @discardableResult
    public func collectGarbage() throws(TimelineError) -> (before: UInt64, after: UInt64) {
        try writing().collectGarbage()
    }

    /// Checks every block of every live checkpoint: record framing and
    /// CRC, the block's own checksums, a full decode, and that the contents
    /// still hash to the address they are stored under
    /// (``BlockSource/problems(in:)``).
    /// - Returns: one line per problem; empty when all is well.
    public func verify() -> [String] { blocks.problems(in: checkpoints) }
}
