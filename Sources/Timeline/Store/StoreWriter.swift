import PackCodec

/// The writing half of a ``CheckpointStore`` opened for writing: the
/// writer lock, the one place where anything becomes committed (appends,
/// syncs and the MANIFEST swap, ``commitRecords(_:data:)``), and what the
/// writer remembers between commits so that the next one stores each
/// column once, and as a delta against the world before it.
///
/// A reader's store has none (``CheckpointStore/isWritable`` is `false`).
/// The store owns its writer; the writer changes the store's committed
/// view (MANIFEST, files, catalogue) as each commit lands.
///
/// A class because it holds the lock: one per writable handle, released
/// when the handle goes.
final class StoreWriter {
    /// The store this writer commits to; it owns this writer.
    unowned let store: CheckpointStore
    /// Held while the writer lives; `LOCK` tells other processes.
    let lock: any StoreWriterLock
    /// Files written at open, holding complete records found past the
    /// committed lengths (``setAsideCompleteTails()``).
    var setAside: [String] = []
    /// Every stored block by content hash, for storing identical columns once.
    var blocksByHash: [ContentHash: BlockRef] = [:]
    /// The last world this writer committed, the base for delta blocks.
    var lastCommitted: (id: CheckpointID, snapshot: Snapshot)?
    /// Where blocks this writer knows stand in their delta chains.
    var chainPositions: [ContentHash: ColumnDelta.ChainPosition] = [:]
    /// Full blocks of at least this many stored bytes are written with a
    /// bridge from the parent's column (``BridgedBlock``); tests lower it
    /// to see bridges in small worlds.
    var minimumBridgedBytes = BridgedBlock.minimumFullBytes
    /// Set when a commit failed while replacing the MANIFEST: the writer
    /// then refuses to commit, since either generation may be on disk.
    var unsettledCommit: String?

    init(store: CheckpointStore, lock: any StoreWriterLock) {
        self.store = store
        self.lock = lock
    }

    /// Makes the files of a new, empty store in `folder` (which holds no
    /// store files; the caller checked): an index and a data file holding
    /// only their headers, synced, and a MANIFEST of generation 0 naming
    /// them. A store made with a key gets a random id that binds its
    /// records to it, kept also beside the MANIFEST (`STOREID`), so that
    /// recovery can open the records of an encrypted store whose MANIFEST
    /// is lost.
    static func create(in folder: any StoreFolder, path: String, key: EncryptionKey?) throws(TimelineError)
        -> (manifest: StoreManifest, sealer: RecordSealer, index: RecordFile, data: RecordFile) {
        var storeID: [UInt8]?
        if key != nil {
            do { storeID = try SecureRandom.bytes(16) } catch { throw .file(path: path, error) }
        }
        let manifest = StoreManifest(generation: 0, index: .init(number: 1, length: UInt64(RecordFile.headerSize)),
                                     dataFiles: [.init(number: 1, length: UInt64(RecordFile.headerSize))], keyCheck: key?.checkValue, storeID: storeID)
        let sealer = RecordSealer(key: key, storeID: storeID ?? [])
        let index = try RecordFile(folder: folder, name: StoreFileNames.index(1), magic: StoreFileNames.indexMagic, number: 1, writable: true, create: true,
                                   sealer: sealer)
        let data = try RecordFile(folder: folder, name: StoreFileNames.data(1), magic: StoreFileNames.dataMagic, number: 1, writable: true, create: true,
                                  sealer: sealer)
        try index.sync()
        try data.sync()
        try folder.replace("MANIFEST", with: manifest.bytes)
        if let storeID { try folder.replace(StoreIdentity.fileName, with: StoreIdentity.text(storeID)) }
        return (manifest, sealer, index, data)
    }

    /// What a writer does once it has opened an existing store: drops what
    /// an interrupted commit appended past the committed lengths (it was
    /// never committed, and no committed record refers to it; complete
    /// records there are copied aside first), and removes the files an
    /// interrupted `gc` and killed runs left.
    func settleLeftovers() throws(TimelineError) {
        setAside = try setAsideCompleteTails()
        try store.index.truncate(to: store.manifest.index.length)
        for extent in store.manifest.dataFiles { try store.dataFiles[extent.number]!.truncate(to: extent.length) }
        try removeUnreferencedFiles()
    }

    /// Appends a pending commit's data and records, then lets its blocks
    /// and last world serve the next commit.
    func commit(_ batch: PendingCommit) throws(TimelineError) {
        guard !batch.records.isEmpty else { return }
        try commitRecords(batch.records, data: batch.data)
        chainPositions.merge(batch.chains) { _, new in new }
        if let last = batch.last { lastCommitted = last }
    }

    /// Saves a world; a branch that does not exist yet is created in the
    /// same commit, forked from `forkedFrom` (a root branch when `nil`), so
    /// a fork and its first checkpoint appear together or not at all.
    func commit(
        _ snapshot: Snapshot, branch: String, parent: CheckpointID?, info: CheckpointInfo, options: WriteOptions, forkedFrom: CheckpointID?
    ) throws(TimelineError) -> Checkpoint {
        var batch = PendingCommit()
        let checkpoint = try batch.stage(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: forkedFrom, on: self)
        try commit(batch)
        return checkpoint
    }

    /// Appends data and index records and swaps the manifest: the one
    /// place where anything becomes committed.
    func commitRecords(_ records: [IndexRecord], data pending: [UInt8] = []) throws(TimelineError) {
        let manifest = store.manifest, index = store.index
        guard manifest.generation < UInt64.max else {
            throw .manifestContradiction(path: store.manifestPath, field: "generation", reason: "is at its largest value; no commit can follow it")
        }
        try requireSettled()
        // No background decode may read the data files while they grow.
        store.blocks.ahead.settle()
        var next = manifest
        do {
            if !pending.isEmpty {
                let data = store.dataFiles[manifest.dataFiles.last!.number]!
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
            for extent in manifest.dataFiles { try? store.dataFiles[extent.number]?.truncate(to: extent.length) }
            throw error
        }
        try swapManifest(to: next)
        store.manifest = next
        for record in records { try store.apply(record) }
    }

    /// Writes the manifest to a temporary file, syncs it, renames it over
    /// `MANIFEST` and syncs the directory. When that fails the new MANIFEST
    /// may be in place (a failed folder sync comes after the rename), so
    /// the records it names stay, and this writer commits nothing more: it
    /// no longer knows the generation.
    func swapManifest(to next: StoreManifest) throws(TimelineError) {
        guard let folder = store.folder else { throw .invalidRequest("\(store.path): a bundled store is read-only") }
        do { try folder.replace("MANIFEST", with: next.bytes) } catch {
            unsettledCommit = error.description
            throw error
        }
    }

    /// Fails once a MANIFEST swap failed (``swapManifest(to:)``).
    func requireSettled() throws(TimelineError) {
        if let unsettledCommit {
            throw .invalidRequest(
                "\(store.path): an earlier commit failed while replacing the MANIFEST (\(unsettledCommit)); open the store again to see which generation is on disk")
        }
    }

    /// Takes a committed checkpoint's blocks into account for the next commits.
    func note(_ checkpoint: Checkpoint) {
        for ref in checkpoint.blockRefs { blocksByHash[ref.contentHash] = ref }
    }

    /// Removes what earlier writers left: files of an interrupted `gc` that
    /// the MANIFEST does not name, and temporary files of killed runs.
    /// Only entries named as the store names its own files are touched.
    private func removeUnreferencedFiles() throws(TimelineError) {
        guard let folder = store.folder else { return }
        let manifest = store.manifest
        let keep = Set([StoreFileNames.index(manifest.index.number)] + manifest.dataFiles.map { StoreFileNames.data($0.number) })
        for entry in try folder.entries() where !keep.contains(entry.name) && entry.kind != .directory {
            if StoreFileNames.isRecordFile(entry.name) || StoreFileNames.isTemporary(entry.name) {
                try folder.remove(entry.name)
            }
        }
    }
}
