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
        try commit(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: nil)
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
        try requireWritable()
        var batch = PendingCommit()
        for index in 0..<max(0, count) {
            let (snapshot, info) = try world(index)
            try batch.stage(snapshot, branch: branch, parent: nil, info: info, options: options, forkedFrom: nil, on: self)
        }
        try commit(batch)
        return batch.checkpoints
    }

    /// Saves a world; a branch that does not exist yet is created in the
    /// same commit, forked from `forkedFrom` (a root branch when `nil`), so
    /// a fork and its first checkpoint appear together or not at all.
    func commit(
        _ snapshot: Snapshot, branch: String, parent: CheckpointID?, info: CheckpointInfo, options: WriteOptions, forkedFrom: CheckpointID?
    ) throws(TimelineError) -> Checkpoint {
        try requireWritable()
        var batch = PendingCommit()
        let checkpoint = try batch.stage(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: forkedFrom, on: self)
        try commit(batch)
        return checkpoint
    }

    /// Appends a pending commit's data and records, then lets its blocks
    /// and last world serve the next commit.
    private func commit(_ batch: PendingCommit) throws(TimelineError) {
        guard !batch.records.isEmpty else { return }
        try commitRecords(batch.records, data: batch.data)
        chainPositions.merge(batch.chains) { _, new in new }
        if let last = batch.last { lastCommitted = last }
    }

    /// Appends data and index records and swaps the manifest: the one
    /// place where anything becomes committed.
    func commitRecords(_ records: [IndexRecord], data pending: [UInt8] = []) throws(TimelineError) {
        guard manifest.generation < UInt64.max else {
            throw .manifestContradiction(path: manifestPath, field: "generation", reason: "is at its largest value; no commit can follow it")
        }
        if let unsettledCommit {
            throw .invalidRequest("\(path): an earlier commit failed while replacing the MANIFEST (\(unsettledCommit)); open the store again to see which generation is on disk")
        }
        // No background decode may read the data files while they grow.
        blocks.settleDecodeAhead()
        var next = manifest
        do {
            if !pending.isEmpty {
                let data = dataFiles[manifest.dataFiles.last!.number]!
                try data.append(pending)
                try data.sync()
                next.dataFiles[next.dataFiles.count - 1].length = data.length
            }
            var indexBytes: [UInt8] = []
            for record in records {
                indexBytes.append(contentsOf: try index.frame(kind: record.kind, payload: record.payload, appendedAt: index.length + UInt64(indexBytes.count)))
            }
            try index.append(indexBytes)
            try index.sync()
            next.index.length = index.length
            next.generation += 1
        } catch {
            // Nothing of a failed commit may ride along with the next one.
            try? index.truncate(to: manifest.index.length)
            for extent in manifest.dataFiles { try? dataFiles[extent.number]?.truncate(to: extent.length) }
            throw error
        }
        do { try writeManifest(next) } catch {
            // The new MANIFEST may be in place (a failed folder sync comes
            // after the rename), so the records it names stay, and this
            // handle commits nothing more: it no longer knows the generation.
            unsettledCommit = error.description
            throw error
        }
        manifest = next
        for record in records { try apply(record) }
    }

    /// Writes the manifest to a temporary file, syncs it, renames it over
    /// `MANIFEST` and syncs the directory.
    func writeManifest(_ next: StoreManifest) throws(TimelineError) {
        guard let folder else { throw .invalidRequest("\(path): a bundled store is read-only") }
        try folder.replace("MANIFEST", with: next.bytes)
    }

    func requireWritable() throws(TimelineError) {
        guard isWritable else { throw .invalidRequest("\(path) is open for reading; open it for writing to change it") }
    }

    /// The current time by this store's clock.
    func now() -> Int64 { clock() }
}
