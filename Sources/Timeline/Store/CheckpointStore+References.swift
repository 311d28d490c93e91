extension CheckpointStore {
    /// Finds the checkpoint a person names: `c12` (an id), `4000` (the
    /// checkpoint at tick 4000 on the main branch's timeline, or on the
    /// only branch), `fix@4000` (at tick 4000 on branch `fix`), or
    /// `fix@last`/`fix@first`.
    /// - Parameter onBranch: the branch a reference without `@` is on (a
    ///   debugger passes the branch it shows); by default main, or the
    ///   only branch.
    /// - Throws: ``TimelineError/unknownCheckpoint(_:)`` or
    ///   ``TimelineError/unknownBranch(_:)``.
    public func resolve(_ reference: String, onBranch: String? = nil) throws(TimelineError) -> Checkpoint {
        if let id = CheckpointID(reference) {
            guard let found = checkpoint(id) else { throw .unknownCheckpoint(reference) }
            return found
        }
        var branch = onBranch ?? catalog.defaultBranch
        var position = Substring(reference)
        if let at = reference.lastIndex(of: "@") {
            branch = String(reference[..<at])
            position = reference[reference.index(after: at)...]
        }
        let line = try timeline(of: branch)
        switch position {
        case "last": if let last = line.last { return last }
        case "first": if let first = line.first { return first }
        default:
            if let tick = UInt64(position), let found = line.last(where: { $0.tick == tick }) { return found }
        }
        throw .unknownCheckpoint(reference)
    }
}
