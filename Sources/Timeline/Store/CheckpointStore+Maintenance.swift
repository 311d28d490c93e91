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

    /// Deletes the checkpoints a rule selects.
    /// - Returns: the deleted ids.
    @discardableResult
    public func prune(_ rule: PruneRule) throws(TimelineError) -> [CheckpointID] {
        let live = checkpoints
        let doomed: [CheckpointID]
        switch rule {
        case .keepMostRecent(let n): doomed = live.dropLast(max(0, n)).map(\.id)
        case .beforeTick(let tick): doomed = live.filter { $0.tick < tick }.map(\.id)
        case .afterTick(let tick): doomed = live.filter { $0.tick > tick }.map(\.id)
        case .beforeTime(let time): doomed = live.filter { $0.worldTime < time }.map(\.id)
        case .afterTime(let time): doomed = live.filter { $0.worldTime > time }.map(\.id)
        }
        try delete(doomed)
        return doomed
    }

    /// Bytes of all files the committed generation references.
    public var bytesOnDisk: UInt64 {
        manifest.index.length + manifest.dataFiles.reduce(0) { $0 + $1.length }
    }

    /// Rewrites the store into new files holding only what live checkpoints
    /// reference, swaps the manifest to them and removes the old files.
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
