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

    /// The checkpoint a person names: `c12`, `4000`, `fix@4000`, `fix@last`
    /// (``StoreCatalog/resolve(_:onBranch:)``).
    public func resolve(_ reference: String, onBranch: String? = nil) throws(TimelineError) -> Checkpoint {
        try catalog.resolve(reference, onBranch: onBranch)
    }

    /// Makes a new branch that starts at checkpoint `base` (of any branch).
    /// With `edits`, the edited world is committed as the branch's first
    /// checkpoint, whose parent is `base`.
    /// - Returns: the branch and, with edits, its first checkpoint.
    @discardableResult
    public func fork(
        from base: CheckpointID, name: String, edits: [WorldEdit] = [], info: CheckpointInfo = CheckpointInfo()
    ) throws(TimelineError) -> (branch: Branch, checkpoint: Checkpoint?) {
        try writing().fork(from: base, name: name, edits: edits, info: info)
    }

    /// Deletes a branch: how a fork is undone. The branch and its own
    /// checkpoints (not those before its fork point) go in one commit, or
    /// nothing does; their ids are never given out again, `gc` reclaims
    /// their bytes, and the name is free for a new branch.
    /// - Returns: the checkpoints deleted with it.
    /// - Throws: ``TimelineError`` when the branch does not exist, or when
    ///   another branch was forked from one of its checkpoints (named, so
    ///   it can be deleted first), or when it is the store's only branch and
    ///   holds checkpoints: that would discard the whole recording, which is
    ///   deleting the store's folder.
    @discardableResult
    public func deleteBranch(_ name: String) throws(TimelineError) -> [CheckpointID] {
        try writing().deleteBranch(name)
    }

    /// Gives a branch a new name, its checkpoints and fork point unchanged,
    /// in one commit. `main` can be renamed too; `STORE@OLD` no longer
    /// resolves afterwards, and the old name is free.
    /// - Throws: ``TimelineError`` when the branch does not exist, the new
    ///   name is taken or is not a valid branch name.
    public func renameBranch(_ name: String, to newName: String) throws(TimelineError) {
        try writing().renameBranch(name, to: newName)
    }

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
