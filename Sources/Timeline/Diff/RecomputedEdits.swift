import PackCodec

extension CheckpointStore {
    /// The edits of a fork that its resumed run undid at once: cells set in
    /// the fork's edited first checkpoint whose value at the branch's next
    /// checkpoint is the origin branch's value at that tick again, as a
    /// simulation that recomputes a derived field (an energy from positions
    /// and velocities) leaves them. Empty when the branch has no edited
    /// first checkpoint, or no checkpoint after it yet, or the origin has
    /// no checkpoint at that tick.
    ///
    /// - Returns: each undone edit (the fork point's value as `old`, the
    ///   edited one as `new`) and the tick where it was undone.
    public func recomputedEdits(onBranch branch: String) throws(TimelineError) -> (edits: [SnapshotDiff.CellChange], tick: UInt64)? {
        guard let info = catalog.branch(named: branch), let forkPoint = info.forkedFrom.flatMap(checkpoint) else { return nil }
        let own = checkpoints.filter { $0.branch == branch }
        guard let edited = own.first(where: { $0.parent == forkPoint.id && $0.tick == forkPoint.tick }),
            let next = own.first(where: { $0.parent == edited.id })
        else { return nil }
        let edits = try diff(forkPoint.id, edited.id).changed
        guard !edits.isEmpty, let origin = try timeline(of: forkPoint.branch).last(where: { $0.tick == next.tick }) else { return nil }
        func key(_ change: SnapshotDiff.CellChange) -> String { "\(change.entity.rawValue) \(change.component).\(change.field)" }
        let moved = Set(try diff(edited.id, next.id).changed.map(key))
        let stillDifferent = Set(try diff(origin.id, next.id).changed.map(key))
        let undone = edits.filter { moved.contains(key($0)) && !stillDifferent.contains(key($0)) }
        return undone.isEmpty ? nil : (undone, next.tick)
    }
}
