import PackCodec

/// The changes a writer makes beside recording worlds: forks, deleting
/// and renaming branches, deleting checkpoints, and `gc`. Each is one
/// commit (``StoreWriter/commitRecords(_:data:)``) or, for `gc`, one
/// MANIFEST swap; the public forms, documented, are ``CheckpointStore``'s.
extension StoreWriter {
    /// ``CheckpointStore/fork(from:name:edits:info:)``.
    func fork(from base: CheckpointID, name: String, edits: [WorldEdit], info: CheckpointInfo) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        try BranchName.validate(name)
        guard store.catalog.branch(named: name) == nil else { throw .branchExists(name) }
        guard store.checkpoint(base) != nil else { throw .unknownCheckpoint(base.description) }
        guard !edits.isEmpty else {
            let branch = Branch(name: name, forkedFrom: base, createdAt: store.now())
            try commitRecords([.branch(branch)])
            return (branch, nil)
        }
        var world = try store.snapshot(base)
        for edit in edits { try edit.apply(to: &world) }
        // The branch record and the edited checkpoint are one commit: a fork
        // interrupted at any instant leaves both or neither.
        let first = try commit(world, branch: name, parent: base, info: info, options: WriteOptions(codec: .zstd(level: 1)), forkedFrom: base)
        return (store.catalog.branch(named: name)!, first)
    }

    /// ``CheckpointStore/deleteBranch(_:)``.
    func deleteBranch(_ name: String) throws(TimelineError) -> [CheckpointID] {
        guard store.catalog.branch(named: name) != nil else { throw .unknownBranch(name) }
        let own = store.checkpoints.filter { $0.branch == name }.map(\.id)
        let owned = Set(own)
        if let child = store.branches.first(where: { $0.name != name && $0.forkedFrom.map(owned.contains) == true }) {
            throw .invalidRequest("branch \(child.name) was forked from \(child.forkedFrom!), a checkpoint of \(name); delete \(child.name) first")
        }
        // Undoing a fork, not discarding a recording (which is deleting its folder).
        if store.branches.count == 1, !own.isEmpty {
            throw .invalidRequest("\(store.path): branch \(name) is the store's only branch; deleting it would delete the whole recording (\(own.count) checkpoints), so it stays (delete the folder to discard the recording)")
        }
        try commitRecords((own.isEmpty ? [] : [.delete(own)]) + [.branchDeleted(name)])
        return own
    }

    /// ``CheckpointStore/renameBranch(_:to:)``.
    func renameBranch(_ name: String, to newName: String) throws(TimelineError) {
        guard store.catalog.branch(named: name) != nil else { throw .unknownBranch(name) }
        try BranchName.validate(newName)
        guard store.catalog.branch(named: newName) == nil else { throw .branchExists(newName) }
        try commitRecords([.branchRenamed(from: name, to: newName)])
    }

    /// ``CheckpointStore/delete(_:)``.
    func delete(_ ids: [CheckpointID]) throws(TimelineError) {
        for id in ids where store.checkpoint(id) == nil { throw .unknownCheckpoint(id.description) }
        guard !ids.isEmpty else { return }
        try commitRecords([.delete(ids)])
    }

    /// ``CheckpointStore/collectGarbage()``: ``StoreCompaction`` copies
    /// what live checkpoints reference into new files; this swaps the
    /// MANIFEST to them and removes the old files.
    func collectGarbage() throws(TimelineError) -> (before: UInt64, after: UInt64) {
        let manifest = store.manifest, path = store.path
        let before = store.bytesOnDisk
        guard store.hasGarbage else { return (before, before) }
        guard manifest.index.number < UInt32.max, manifest.dataFiles.allSatisfy({ $0.number < UInt32.max }) else {
            throw .manifestContradiction(path: store.manifestPath, field: "file numbers", reason: "leave no number for gc's new files")
        }
        let indexNumber = manifest.index.number + 1
        let dataNumber = (manifest.dataFiles.map(\.number).max() ?? 0) + 1
        guard let folder = store.folder else { throw .invalidRequest("\(path): a bundled store is read-only") }
        try requireSettled()
        guard manifest.generation < UInt64.max else {
            throw .manifestContradiction(path: store.manifestPath, field: "generation", reason: "is at its largest value; no commit can follow it")
        }
        try folder.remove(StoreFileNames.index(indexNumber))
        try folder.remove(StoreFileNames.data(dataNumber))
        let copied: (next: StoreManifest, index: RecordFile, data: RecordFile)
        do {
            copied = try StoreCompaction(path: path, catalog: store.catalog, dataFiles: store.dataFiles, manifest: manifest, sealer: store.sealer)
                .copyLiveRecords(into: indexNumber, dataNumber, folder: folder)
        } catch {
            // A gc that failed (out of space, say) leaves nothing of itself behind.
            try? folder.remove(StoreFileNames.index(indexNumber))
            try? folder.remove(StoreFileNames.data(dataNumber))
            throw error
        }
        // When the swap fails, the new MANIFEST may be in place: both sets of files stay.
        try swapManifest(to: copied.next)
        let oldFiles = [StoreFileNames.index(manifest.index.number)] + manifest.dataFiles.map { StoreFileNames.data($0.number) }
        store.manifest = copied.next
        store.index = copied.index
        store.dataFiles = [dataNumber: copied.data]
        store.catalog = StoreCatalog(lastID: store.catalog.lastID)
        blocksByHash = [:]
        lastCommitted = nil
        try store.apply(copied.index.records(from: UInt64(RecordFile.headerSize), to: copied.next.index.length))
        // The new generation is durable; the old files are garbage, and a
        // writer that opens the store removes any left by a crash here.
        for file in oldFiles { try? folder.remove(file) }
        return (before, store.bytesOnDisk)
    }

    /// Before a writer cuts what lies past the committed lengths: when the
    /// index holds complete, valid records there, they may be more than an
    /// interrupted commit's (a MANIFEST rolled back to an earlier
    /// generation, restored from a backup, say), so those bytes of the index
    /// and of every data file are first copied aside, byte for byte, into
    /// `NAME.tail-set-aside-GEN` (which no clean-up touches, and `recover`
    /// can read). A torn record alone, what a crash during an append
    /// leaves, is just cut.
    /// - Returns: the names of the files written.
    func setAsideCompleteTails() throws(TimelineError) -> [String] {
        let manifest = store.manifest, index = store.index
        guard let folder = store.folder, index.length > manifest.index.length else { return [] }
        let tail = index.intactRecords(from: manifest.index.length)
        guard !tail.records.isEmpty else { return [] }
        var written: [String] = []
        let files = [(StoreFileNames.index(manifest.index.number), index, manifest.index.length)]
            + manifest.dataFiles.compactMap { extent in store.dataFiles[extent.number].map { (StoreFileNames.data(extent.number), $0, extent.length) } }
        for (name, file, committed) in files where file.length > committed {
            var attempt = 1
            var aside = StoreFileNames.tailSetAside(of: name, generation: manifest.generation)
            while try folder.entries().contains(where: { $0.name == aside }) {
                attempt += 1
                aside = StoreFileNames.tailSetAside(of: name, generation: manifest.generation, attempt: attempt)
            }
            try folder.replace(aside, with: try file.read(at: committed, count: Int(clamping: file.length - committed)))
            written.append(aside)
        }
        return written
    }
}
