import PackCodec

extension CheckpointStore {
    /// The last live checkpoint recorded on `branch`.
    public func lastCheckpoint(onBranch branch: String) -> Checkpoint? { catalog.lastCheckpoint(onBranch: branch) }

    /// The live checkpoints from the root of the recording to `id`,
    /// following parent links (across fork points), oldest first.
    public func chain(to id: CheckpointID) -> [Checkpoint] { catalog.chain(to: id) }

    /// What a branch shows on its timeline (``StoreCatalog/timeline(of:)``).
    public func timeline(of branch: String) throws(TimelineError) -> [Checkpoint] { try catalog.timeline(of: branch) }

    /// The checkpoint a simulation resumed on `branch` goes on from
    /// (``StoreCatalog/resumePoint(ofBranch:)``).
    public func resumePoint(ofBranch branch: String) throws(TimelineError) -> Checkpoint { try catalog.resumePoint(ofBranch: branch) }

    /// Makes a new branch that starts at checkpoint `base` (of any branch).
    /// With `edits`, the edited world is committed as the branch's first
    /// checkpoint, whose parent is `base`.
    /// - Returns: the branch and, with edits, its first checkpoint.
    @discardableResult
    public func fork(
        from base: CheckpointID, name: String, edits: [WorldEdit] = [], info: CheckpointInfo = CheckpointInfo()
    ) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        try requireWritable()
        try BranchName.validate(name)
        guard catalog.branch(named: name) == nil else { throw .branchExists(name) }
        guard checkpoint(base) != nil else { throw .unknownCheckpoint(base.description) }
        var world: Snapshot?
        if !edits.isEmpty {
            var snapshot = try self.snapshot(base)
            for edit in edits { try edit.apply(to: &snapshot) }
            world = snapshot
        }
        guard let world else {
            let branch = Branch(name: name, forkedFrom: base, createdAt: now())
            try commitRecords([.branch(branch)])
            return (branch, nil)
        }
        // The branch record and the edited checkpoint are one commit: a fork
        // interrupted at any instant leaves both or neither.
        let first = try commit(world, branch: name, parent: base, info: info, options: WriteOptions(codec: .zstd(level: 1)), forkedFrom: base)
        return (catalog.branch(named: name)!, first)
    }
}

extension CheckpointStore {
    /// Deletes a branch: how a fork is undone. The branch and its own
    /// checkpoints (not those before its fork point) go in one commit, or
    /// nothing does; their ids are never given out again, `gc` reclaims
    /// their bytes, and the name is free for a new branch.
    /// - Returns: the checkpoints deleted with it.
    /// - Throws: ``TimelineError`` when the branch does not exist, or when
    ///   another branch was forked from one of its checkpoints (named, so
    ///   it can be deleted first).
    @discardableResult
    public func deleteBranch(_ name: String) throws(TimelineError) -> [CheckpointID] {
        try requireWritable()
        guard catalog.branch(named: name) != nil else { throw .unknownBranch(name) }
        let own = checkpoints.filter { $0.branch == name }.map(\.id)
        let owned = Set(own)
        if let child = branches.first(where: { $0.name != name && $0.forkedFrom.map(owned.contains) == true }) {
            throw .invalidRequest("branch \(child.name) was forked from \(child.forkedFrom!), a checkpoint of \(name); delete \(child.name) first")
        }
        try commitRecords((own.isEmpty ? [] : [.delete(own)]) + [.branchDeleted(name)])
        return own
    }
}

extension CheckpointStore {
    /// Gives a branch a new name, its checkpoints and fork point unchanged,
    /// in one commit. `main` can be renamed too; `STORE@OLD` no longer
    /// resolves afterwards, and the old name is free.
    /// - Throws: ``TimelineError`` when the branch does not exist, the new
    ///   name is taken or is not a valid branch name.
    public func renameBranch(_ name: String, to newName: String) throws(TimelineError) {
        try requireWritable()
        guard catalog.branch(named: name) != nil else { throw .unknownBranch(name) }
        try BranchName.validate(newName)
        guard catalog.branch(named: newName) == nil else { throw .branchExists(newName) }
        try commitRecords([.branchRenamed(from: name, to: newName)])
    }
}

extension CheckpointStore {
    /// The checkpoint on `branch`'s timeline whose world time is nearest to
    /// `time` (the earlier one on a tie), or `nil` on an empty timeline.
    public func nearestCheckpoint(toTime time: Double, onBranch branch: String = CheckpointStore.mainBranch) throws(TimelineError) -> Checkpoint? {
        var cursor = ReplayCursor(checkpoints: try timeline(of: branch))
        return cursor.seek(toNearestTime: time) ? cursor.current : nil
    }

    /// Forks a new branch at the checkpoint nearest to `time` on `branch`.
    @discardableResult
    public func fork(
        atTime time: Double, onBranch branch: String = CheckpointStore.mainBranch, name: String, edits: [WorldEdit] = []
    ) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        guard let base = try nearestCheckpoint(toTime: time, onBranch: branch) else {
            throw .unknownCheckpoint("near time \(time) on \(branch)")
        }
        return try fork(from: base.id, name: name, edits: edits)
    }
}
