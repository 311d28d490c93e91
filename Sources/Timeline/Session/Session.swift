import PackCodec

/// A cursor on one branch of a store and the world it shows: which
/// checkpoint, which archetype decoded into columns, what changed against
/// the diff base, which checkpoints could not be read and what the last
/// load cost. A step back rebuilds the previous checkpoint's changed
/// columns from the shown ones (undo patches) instead of decoding them, and
/// memory holds the world shown, not the cache's worth. What the debugger
/// shows, with none of the screen; any front end can drive one.
///
/// ```swift
/// let session = try Session(store: try CheckpointStore.open("runs/eco"))
/// session.cursor.seek(toTick: 100)
/// try session.load(archetype: 1)
/// session.view?.changes?.changedCells   // cells changed since tick 99
/// ```
///
/// A class: it shares the store with its front end and changes in place.
public final class Session {
    /// One archetype of the checkpoint shown, decoded.
    public struct View: Sendable {
        /// The checkpoint shown.
        public var checkpoint: CheckpointID
        /// Its index among the checkpoint's archetypes.
        public var archetype: Int
        /// The entity ids, one a row.
        public var ids: [EntityID]
        /// The largest id, for the width of the id column.
        public var largestID: UInt64
        /// `Component.field` of each column.
        public var keys: [ColumnKey]
        /// The decoded columns, in `keys` order.
        public var columns: [Column]
        /// Changes against the diff base, when diff is on and there is one.
        public var changes: ArchetypeChanges?
        /// `vs c99: 6 spawned, 6 despawned, 1 moved in, 0 out, 567 cells (Health.value 250, …)`.
        public var summary: String
    }

    /// The open store (read-only; writers are opened for a moment).
    public let store: CheckpointStore
    /// The branch whose timeline is shown (``switchTo(branch:)`` changes it).
    public private(set) var branch: String
    /// The position on that timeline.
    public var cursor: ReplayCursor
    /// What diffs compare against: a fixed checkpoint, or (`nil`) the previous one.
    public var diffBase: CheckpointID?
    /// Whether changes against the diff base are computed.
    public var showsDiff = true
    /// The archetype loaded last, or `nil` (nothing to show, or it could not be read).
    public private(set) var view: View?
    /// Checkpoints that could not be read, with why.
    public private(set) var damaged: [CheckpointID: String] = [:]
    /// What the last load read, and how long it took.
    public private(set) var lastLoad: (checkpoint: CheckpointID, reads: ReadStatistics, milliseconds: Double)?
    /// How to rebuild the previous checkpoint's changed columns from the
    /// shown ones (by the previous column's content hash).
    private(set) var undoPatches: [ContentHash: UndoPatch] = [:]
    /// Shown columns stored as XOR deltas on the previous checkpoint's, by
    /// the previous column's content hash: a step back reads the patch off
    /// the delta record then (`old = new ^ stored`), decoding nothing.
    private(set) var deltaSources: [ContentHash: BlockRef] = [:]
    /// How to rebuild the previous checkpoint's entity ids from the shown
    /// ones, where entities left and joined between them.
    private(set) var idsUndo: EntityIDsUndo?
    /// What stepping across checkpoints whose columns start a new delta
    /// chain taught: their changed rows and the XOR of the two versions, so
    /// crossing them again, either way, decodes nothing. At most an eighth
    /// of the raw bytes of the largest archetype shown, or 1 MiB.
    var learnt = LearntChanges(budget: 0)
    /// The largest id of the last id block shown: a scan of a million ids
    /// costs a millisecond, and steps mostly keep the same ids.
    private var largestID: (ids: ContentHash, value: UInt64)?

    /// A session on `branch` (the main branch, or the first one), at its
    /// first checkpoint; nothing is decoded yet.
    public init(store: CheckpointStore, branch: String? = nil) throws(TimelineError) {
        self.store = store
        let names = store.branches.map(\.name)
        self.branch = branch ?? (names.contains(CheckpointStore.mainBranch) ? CheckpointStore.mainBranch : names.first ?? CheckpointStore.mainBranch)
        cursor = ReplayCursor(checkpoints: names.isEmpty ? [] : try store.timeline(of: self.branch))
    }

    /// Shows `branch`'s timeline (the cursor at its first checkpoint).
    public func switchTo(branch: String) throws(TimelineError) {
        cursor = ReplayCursor(checkpoints: try store.timeline(of: branch))
        self.branch = branch
    }

    /// Puts the cursor on `checkpoint`, switching to its branch when the
    /// timeline shown does not hold it (nothing is decoded).
    public func position(at checkpoint: Checkpoint) throws(TimelineError) {
        if !cursor.checkpoints.contains(where: { $0.id == checkpoint.id }) { try switchTo(branch: checkpoint.branch) }
        cursor.seek(to: checkpoint.id)
    }

    /// Rereads the store (a recording may be growing it) and takes the
    /// branch's new checkpoints onto the timeline; a cursor that was at the
    /// end moves to the new end, like `tail -f`.
    /// - Returns: whether anything arrived.
    public func follow() throws(TimelineError) -> Bool {
        guard try store.refresh() else { return false }
        let wasAtEnd = cursor.position == cursor.checkpoints.count - 1
        cursor.update(try store.timeline(of: branch))
        if wasAtEnd { cursor.seekToEnd() }
        return true
    }

    /// The checkpoint diffs compare against: the fixed one, or the previous
    /// one on the timeline.
    public var baseCheckpoint: Checkpoint? {
        if let diffBase { return store.checkpoint(diffBase) }
        return cursor.position > 0 ? cursor.checkpoints[cursor.position - 1] : nil
    }

    /// Records that `checkpoint` cannot be read (a search or a series
    /// met it), so the timeline marks it like a failed load.
    public func markDamaged(_ checkpoint: CheckpointID, _ reason: String) { damaged[checkpoint] = reason }

    /// Forgets the view (nothing to show).
    public func clearView() { view = nil }

    /// Decodes archetype `archetype` of the current checkpoint (the first
    /// when there is no such archetype) and compares it with the diff base.
    /// A checkpoint that cannot be read is marked damaged and leaves no
    /// view: never another checkpoint's columns under this one's name.
    /// - Returns: the archetype index loaded.
    @discardableResult
    public func load(archetype: Int) throws(TimelineError) -> Int {
        let before = store.readStatistics, start = ContinuousClock.now
        do {
            let index = try decode(archetype: archetype)
            if let id = cursor.current?.id {
                let elapsed = ContinuousClock.now - start
                lastLoad = (id, store.readStatistics.since(before), Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1000)
            }
            return index
        } catch {
            if let id = cursor.current?.id { damaged[id] = error.description }
            view = nil
            throw error
        }
    }

    private func decode(archetype requested: Int) throws(TimelineError) -> Int {
        guard let checkpoint = cursor.current else { view = nil; return requested }
        let archetype = requested < checkpoint.archetypes.count ? requested : 0
        guard checkpoint.archetypes.indices.contains(archetype) else { view = nil; return archetype }
        let stored = checkpoint.archetypes[archetype]
        let step = stepDirection(from: view?.checkpoint)
        // What a background thread learnt of the chain starts ahead, nearest last (the last the
        // budget lets go), waiting only for what this step needs: the columns against the diff
        // base, and against the columns shown (a rebuild from them).
        let compared = [baseCheckpoint, view.flatMap { store.checkpoint($0.checkpoint) }].compactMap { $0?.archetype(stored.signature) }
        let needed = compared.flatMap { zip($0.columns, stored.columns).filter { $0.contentHash != $1.contentHash } }
        for pair in store.blocks.ahead.takeLearnt(waitingFor: needed).reversed() { learnt.adopt(pair) }
        let shown = view.flatMap { store.checkpoint($0.checkpoint)?.archetype(stored.signature) }
        // The view's columns are let go of first: a step may patch them in place.
        view = nil
        rebuildFromShown(stored)
        let (ids, columns) = try store.blocks.decode(stored, label: checkpoint.id.description,
                                                     handing: step == 1 ? columnsLeftBehind(by: stored, shown: shown) : [:])
        let keys = stored.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
        var changes: ArchetypeChanges?
        var readPatches: [ContentHash: UndoPatch] = [:]
        var summary = "diff off (d)"
        if showsDiff, let base = baseCheckpoint, base.id != checkpoint.id {
            learnt.raiseBudget(to: max(1 << 20, columns.reduce(ids.count * 8) { $0 + $1.storage.count } / 8))
            // Against the checkpoint before, a step back to it can use what the records read for this say.
            var found = try ArchetypeChanges.compute(store: store, base: base, current: checkpoint, archetype: archetype, ids: ids, columns: columns,
                                                     learnt: &learnt, keepingUndo: diffBase == nil)
            readPatches = found.undoPatches
            found.undoPatches = [:]
            changes = found
            summary = Self.summary(of: found, keys: keys)
        } else if showsDiff {
            summary = diffBase == nil ? "first checkpoint: nothing to compare" : "this is the diff base \(diffBase!)"
        }
        let largest = largestID.flatMap { $0.ids == stored.entities.contentHash ? $0.value : nil }
            ?? ids.withUnsafeBufferPointer { $0.reduce(0) { Swift.max($0, $1.rawValue) } }
        largestID = (stored.entities.contentHash, largest)
        view = View(checkpoint: checkpoint.id, archetype: archetype, ids: ids, largestID: largest, keys: keys, columns: columns, changes: changes, summary: summary)
        undoPatches = Self.undoPatches(to: diffBase == nil ? baseCheckpoint : nil, from: stored, changes: changes, store: store,
                                       learnt: learnt).merging(readPatches) { made, _ in made }
        idsUndo = Self.idsUndo(to: diffBase == nil ? baseCheckpoint : nil, from: stored, changes: changes, store: store)
        deltaSources = diffBase == nil ? changes?.deltaSources ?? [:] : [:]
        // What this step's decoding applied has answered every question it was kept for (with the diff off, none was asked).
        store.blocks.appliedDeltaRows.forget()
        // Memory holds the world shown, and what the next step needs is decoded ahead.
        decodeAhead(forStep: step, after: stored)
        return archetype
    }

    /// `vs c99: 6 spawned, 6 despawned, 1 moved in, 0 out, 567 cells (Health.value 250, …)`.
    static func summary(of changes: ArchetypeChanges, keys: [ColumnKey]) -> String {
        var perField: [(String, Int)] = []
        for (index, rows) in changes.columns.enumerated() { if let rows { perField.append((keys[index].description, rows.count)) } }
        perField.sort { $0.1 > $1.1 }
        let fields = perField.prefix(4).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        return "vs \(changes.base): \(changes.spawned.count) spawned, \(changes.despawned) despawned, "
            + "\(changes.movedIn.count) moved in, \(changes.movedOut) out, \(perField.reduce(0) { $0 + $1.1 }) cells"
            + (fields.isEmpty ? "" : " (\(fields))")
    }
}
