import PackCodec

extension CheckpointStore {
    /// Deletes checkpoints. A metadata operation: one index record; the
    /// space comes back with ``collectGarbage()``.
    public func delete(_ ids: [CheckpointID]) throws(TimelineError) {
        try requireWritable()
        for id in ids where checkpoint(id) == nil { throw .unknownCheckpoint(id.description) }
        guard !ids.isEmpty else { return }
        try commitRecords([.delete(ids)])
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
        try requireWritable()
        let before = bytesOnDisk
        guard manifest.index.number < UInt32.max, manifest.dataFiles.allSatisfy({ $0.number < UInt32.max }) else {
            throw .manifestContradiction(path: manifestPath, field: "file numbers", reason: "leave no number for gc's new files")
        }
        let indexNumber = manifest.index.number + 1
        let dataNumber = (manifest.dataFiles.map(\.number).max() ?? 0) + 1
        guard let folder else { throw .invalidRequest("\(path): a bundled store is read-only") }
        if let unsettledCommit { throw .invalidRequest("\(path): an earlier commit failed (\(unsettledCommit)); open the store again") }
        guard manifest.generation < UInt64.max else {
            throw .manifestContradiction(path: manifestPath, field: "generation", reason: "is at its largest value; no commit can follow it")
        }
        try folder.remove(StoreFileNames.index(indexNumber))
        try folder.remove(StoreFileNames.data(dataNumber))
        let copied: (next: StoreManifest, index: RecordFile, data: RecordFile)
        do {
            copied = try StoreCompaction(path: path, catalog: catalog, dataFiles: dataFiles, manifest: manifest, sealer: sealer)
                .copyLiveRecords(into: indexNumber, dataNumber, folder: folder)
        } catch {
            // A gc that failed (out of space, say) leaves nothing of itself behind.
            try? folder.remove(StoreFileNames.index(indexNumber))
            try? folder.remove(StoreFileNames.data(dataNumber))
            throw error
        }
        do { try writeManifest(copied.next) } catch {
            // The new MANIFEST may be in place: both sets of files stay.
            unsettledCommit = error.description
            throw error
        }
        let oldFiles = [StoreFileNames.index(manifest.index.number)] + manifest.dataFiles.map { StoreFileNames.data($0.number) }
        manifest = copied.next
        index = copied.index
        dataFiles = [dataNumber: copied.data]
        catalog = StoreCatalog(lastID: catalog.lastID)
        blocksByHash = [:]
        lastCommitted = nil
        try apply(index.records(from: UInt64(RecordFile.headerSize), to: manifest.index.length))
        // The new generation is durable; the old files are garbage, and a
        // writer that opens the store removes any left by a crash here.
        for file in oldFiles { try? folder.remove(file) }
        return (before, bytesOnDisk)
    }

    /// Checks every block of every live checkpoint: record framing and
    /// CRC, the block's own checksums, a full decode, and that the contents
    /// still hash to the address they are stored under
    /// (``BlockSource/problems(in:)``).
    /// - Returns: one line per problem; empty when all is well.
    public func verify() -> [String] { blocks.problems(in: checkpoints) }
}
