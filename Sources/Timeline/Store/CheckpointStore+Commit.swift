import PackCodec

extension CheckpointStore {
    /// The name of the branch a new store records on.
    public static let mainBranch = "main"

    /// Saves a world as a new checkpoint at the end of `branch` (created
    /// when it does not exist yet, as a root branch).
    ///
    /// Columns whose contents are already stored (by SHA-256) are referenced,
    /// not written again. The commit is one append to the data file, one to
    /// the index file and a manifest swap; killed at any instant, the store
    /// reopens either with this checkpoint complete or without it.
    /// - Parameters:
    ///   - parent: the checkpoint this one follows; by default the branch's
    ///     last checkpoint.
    /// - Returns: the new checkpoint.
    @discardableResult
    public func commit(
        _ snapshot: Snapshot, branch: String = CheckpointStore.mainBranch, parent: CheckpointID? = nil,
        info: CheckpointInfo = CheckpointInfo(), options: WriteOptions = WriteOptions(codec: .zstd(level: 1))
    ) throws(TimelineError) -> Checkpoint {
        try writing().commit(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: nil)
    }

    /// Saves several worlds, in order, at the end of `branch` as one
    /// commit: killed or failing at any point, the store has all of them or
    /// none. Each world follows the one before it.
    ///
    /// The worlds are asked for one at a time and encoded as they come, so
    /// only their encoded bytes wait in memory for the commit.
    /// - Parameters:
    ///   - count: how many worlds.
    ///   - world: the world at an index in `0..<count`, with its info; an
    ///     error it throws commits nothing.
    /// - Returns: the new checkpoints.
    @discardableResult
    public func commit(
        count: Int, branch: String = CheckpointStore.mainBranch, options: WriteOptions = WriteOptions(codec: .zstd(level: 1)),
        world: (Int) throws -> (snapshot: Snapshot, info: CheckpointInfo)
    ) throws -> [Checkpoint] {
        let writer = try writing()
        var batch = PendingCommit()
        for index in 0..<max(0, count) {
            let (snapshot, info) = try world(index)
            try batch.stage(snapshot, branch: branch, parent: nil, info: info, options: options, forkedFrom: nil, on: writer)
        }
        try writer.commit(batch)
        return batch.checkpoints
    }

    /// This handle's writer, or an error saying the store is open for reading.
    func writing() throws(TimelineError) -> StoreWriter {
        guard let writer else { throw .invalidRequest("\(path) is open for reading; open it for writing to change it") }
        return writer
    }

    /// The current time by this store's clock.
    func now() -> Int64 { clock() }
}
