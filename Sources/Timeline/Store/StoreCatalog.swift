import PackCodec

/// What a store's index says, replayed: every checkpoint recorded (deleted
/// ones included, for their ids and parent links), which are deleted, the
/// branches in creation order and the highest id given out. Built record by
/// record (``apply(_:)``) from the index file; answers the lookups along
/// timelines and branches. It holds no file and reads no block:
/// ``CheckpointStore`` owns the files and keeps its catalogue current.
///
/// ```swift
/// let catalog = try CheckpointStore.open("runs/mine").catalog
/// for branch in catalog.branches { print(branch.name, try catalog.timeline(of: branch.name).count) }
/// let resumeFrom = try catalog.resumePoint(ofBranch: "fix")
/// ```
public struct StoreCatalog: Sendable {
    /// Every checkpoint the index recorded, deleted ones included.
    private(set) var allCheckpoints: [CheckpointID: Checkpoint] = [:]
    /// The checkpoints deleted since they were recorded.
    private(set) var deleted = Set<CheckpointID>()
    private var branchTable: [String: Branch] = [:]
    private var branchOrder: [String] = []
    /// The highest checkpoint id given out: ids of deleted checkpoints are
    /// never given out again.
    private(set) var lastID: UInt64 = 0
    /// Records replayed that a compacted index leaves out: deletions of
    /// checkpoints and branches, renames, a branch recorded again.
    private(set) var recordsGCDrops = 0

    /// An empty catalogue: no checkpoint, no branch.
    public init() {}

    /// A catalogue that has given out ids up to `lastID` and holds nothing
    /// (what `gc` starts a compacted index from).
    init(lastID: UInt64) { self.lastID = lastID }

    /// Takes one record of the index into account.
    /// - Throws: the reason, when the record contradicts the catalogue (a
    ///   rename onto a branch that exists, or of one that does not).
    mutating func apply(_ record: IndexRecord) throws(IndexContradiction) {
        switch record {
        case .checkpoint(let checkpoint):
            allCheckpoints[checkpoint.id] = checkpoint
            lastID = max(lastID, checkpoint.id.rawValue)
        case .branch(let branch):
            if branchTable[branch.name] == nil { branchOrder.append(branch.name) } else { recordsGCDrops += 1 }
            branchTable[branch.name] = branch
        case .delete(let ids):
            deleted.formUnion(ids)
            recordsGCDrops += 1
        case .idHighWater(let id):
            lastID = max(lastID, id.rawValue)
        case .branchDeleted(let name):
            recordsGCDrops += 1
            branchTable[name] = nil
            branchOrder.removeAll { $0 == name }
        case .branchRenamed(let from, let to):
            guard var branch = branchTable[from], branchTable[to] == nil, (try? BranchName.validate(to)) != nil else {
                throw IndexContradiction(reason: "a rename of branch \(from) to \(to), which the store's branches do not allow")
            }
            recordsGCDrops += 1
            branchTable[from] = nil
            branch.name = to
            branchTable[to] = branch
            branchOrder = branchOrder.map { $0 == from ? to : $0 }
            for (id, checkpoint) in allCheckpoints where checkpoint.branch == from { allCheckpoints[id]!.branch = to }
        }
    }

    /// Counts an id as given out (a checkpoint that was recorded, whose
    /// record is gone).
    mutating func noteGivenOut(_ id: CheckpointID) { lastID = max(lastID, id.rawValue) }

    /// The live checkpoints, in commit order.
    public var checkpoints: [Checkpoint] {
        allCheckpoints.keys.sorted().filter { !deleted.contains($0) }.map { allCheckpoints[$0]! }
    }

    /// The branches, in creation order.
    public var branches: [Branch] { branchOrder.map { branchTable[$0]! } }

    /// The branch named `name`, if there is one.
    public func branch(named name: String) -> Branch? { branchTable[name] }

    /// The branch a reference without one means: `main` when it exists (or
    /// the store has no branch yet), else the first branch.
    public var defaultBranch: String {
        branchTable[CheckpointStore.mainBranch] != nil || branchOrder.isEmpty ? CheckpointStore.mainBranch : branchOrder[0]
    }

    /// The checkpoint with `id`, if it is live.
    public func checkpoint(_ id: CheckpointID) -> Checkpoint? {
        deleted.contains(id) ? nil : allCheckpoints[id]
    }

    /// The last live checkpoint recorded on `branch`.
    public func lastCheckpoint(onBranch branch: String) -> Checkpoint? {
        allCheckpoints.values.filter { $0.branch == branch && !deleted.contains($0.id) }.max { $0.id < $1.id }
    }

    /// The live checkpoints from the root of the recording to `id`,
    /// following parent links (across fork points), oldest first.
    public func chain(to id: CheckpointID) -> [Checkpoint] {
        var result: [Checkpoint] = []
        var next: CheckpointID? = id
        var seen = Set<CheckpointID>()
        while let current = next, let checkpoint = allCheckpoints[current], seen.insert(current).inserted {
            if !deleted.contains(current) { result.append(checkpoint) }
            next = checkpoint.parent
        }
        return result.reversed()
    }

    /// The nearest checkpoint up the parent links from `id` (itself
    /// included) that is not deleted: the parent a live checkpoint keeps
    /// when `gc` drops the deleted ones between, so that its timeline
    /// (``chain(to:)``) stays what it was.
    func liveAncestor(of id: CheckpointID?) -> CheckpointID? {
        var next = id
        var seen = Set<CheckpointID>()
        while let current = next, let checkpoint = allCheckpoints[current], seen.insert(current).inserted {
            if !deleted.contains(current) { return current }
            next = checkpoint.parent
        }
        return nil
    }

    /// What a branch shows on its timeline: the chain to its last
    /// checkpoint, or to its fork point while it has none of its own.
    public func timeline(of branch: String) throws(TimelineError) -> [Checkpoint] {
        guard let info = branchTable[branch] else { throw .unknownBranch(branch) }
        if let last = lastCheckpoint(onBranch: branch) { return chain(to: last.id) }
        return info.forkedFrom.map { chain(to: $0) } ?? []
    }

    /// The checkpoint a simulation resumed on `branch` goes on from: the
    /// branch's last checkpoint, or its fork point while it has none.
    /// - Throws: when the branch is unknown, or its fork point was deleted
    ///   (resuming from an earlier world instead would be a silent lie).
    public func resumePoint(ofBranch branch: String) throws(TimelineError) -> Checkpoint {
        guard let info = branchTable[branch] else { throw .unknownBranch(branch) }
        if let last = lastCheckpoint(onBranch: branch) { return last }
        guard let fork = info.forkedFrom else { throw .invalidRequest("branch \(branch) has no checkpoint to resume from") }
        guard let point = checkpoint(fork) else {
            throw .invalidRequest("branch \(branch) was forked from \(fork), which has been deleted; fork again from a checkpoint that exists")
        }
        return point
    }

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
        let (branch, position) = place(of: reference, onBranch: onBranch)
        let line = try timeline(of: branch)
        switch position {
        case "last": if let last = line.last { return last }
        case "first": if let first = line.first { return first }
        default:
            if let tick = UInt64(position), let found = line.last(where: { $0.tick == tick }) { return found }
        }
        throw .unknownCheckpoint(reference)
    }

    /// The branch and the place on it (`last`, `first`, a tick) that
    /// `branch@place` or a bare place names.
    private func place(of reference: String, onBranch: String?) -> (branch: String, position: Substring) {
        guard let at = reference.lastIndex(of: "@") else { return (onBranch ?? defaultBranch, Substring(reference)) }
        return (String(reference[..<at]), reference[reference.index(after: at)...])
    }

    /// The checkpoints on either side of a tick that has none of its own: a
    /// recording that keeps every fourth tick has none at tick 5, and the
    /// last before it is at tick 4, the first after it at tick 8.
    /// `reference` is a tick or `branch@tick`, as ``resolve(_:onBranch:)``
    /// takes it.
    /// - Returns: `nil` when `reference` names no tick, the tick has a
    ///   checkpoint, or it is before the branch's first checkpoint or
    ///   after its last.
    public func neighbours(of reference: String, onBranch: String? = nil) -> (before: Checkpoint, after: Checkpoint)? {
        let (branch, position) = place(of: reference, onBranch: onBranch)
        guard let tick = UInt64(position), let line = try? timeline(of: branch), !line.contains(where: { $0.tick == tick }) else { return nil }
        // Two checkpoints next to each other on the timeline (ticks may go back where worlds were imported out of
        // order; the last such pair, as `resolve` takes the last checkpoint of a tick).
        guard let index = line.indices.dropLast().last(where: { line[$0].tick < tick && tick < line[$0 + 1].tick }) else { return nil }
        return (line[index], line[index + 1])
    }
}

/// Why an index record cannot be applied to what the records before it said.
struct IndexContradiction: Error {
    var reason: String
}
