import PackCodec

/// Where two timelines first differ (`tickscope diverge`): the first tick,
/// walking both in tick order, at which their worlds are not the same, and
/// what differs there. Worlds are compared by the content hashes of their
/// blocks, so identical ticks cost no decoding; only the first differing
/// pair is decoded and diffed.
public struct Divergence: Sendable {
    /// A timeline to compare: a branch of a store.
    public struct Side {
        public var store: CheckpointStore
        public var branch: String
        public init(store: CheckpointStore, branch: String) {
            self.store = store
            self.branch = branch
        }
    }

    /// The first tick both have and whose worlds differ.
    public var tick: UInt64
    /// The checkpoints at that tick, on each side.
    public var first: Checkpoint, second: Checkpoint
    /// What differs, from the first side's world to the second's.
    public var diff: SnapshotDiff
    /// How many common ticks were compared, the differing one included.
    public var ticksCompared: Int

    /// Finds the first difference, or `nil` when every tick both timelines
    /// have holds the same world.
    /// - Returns: also how many ticks the two have in common.
    public static func find(_ a: Side, _ b: Side) throws(TimelineError) -> (divergence: Divergence?, commonTicks: Int) {
        let left = try a.store.timeline(of: a.branch), right = try b.store.timeline(of: b.branch)
        var byTick: [UInt64: Checkpoint] = [:]
        for checkpoint in right { byTick[checkpoint.tick] = checkpoint }
        var compared = 0
        // The last checkpoint of each tick stands for it, as in `resolve`.
        var lastOfTick: [UInt64: Checkpoint] = [:]
        for checkpoint in left { lastOfTick[checkpoint.tick] = checkpoint }
        let ticks = lastOfTick.keys.filter { byTick[$0] != nil }.sorted()
        for tick in ticks {
            let first = lastOfTick[tick]!, second = byTick[tick]!
            compared += 1
            if fingerprint(first) == fingerprint(second) { continue }
            let diff = try Self.diff(first, in: a.store, second, in: b.store)
            // Equal contents stored differently (another codec or delta chain) are no difference.
            if diff.isEmpty { continue }
            return (Divergence(tick: tick, first: first, second: second, diff: diff, ticksCompared: compared), ticks.count)
        }
        return (nil, ticks.count)
    }

    /// A world's identity without decoding it: each archetype's components and block hashes.
    private static func fingerprint(_ checkpoint: Checkpoint) -> [ArchetypeSignature: [ContentHash]] {
        var result: [ArchetypeSignature: [ContentHash]] = [:]
        for archetype in checkpoint.archetypes {
            result[archetype.signature] = [archetype.entities.contentHash] + archetype.columns.map(\.contentHash)
        }
        return result
    }

    /// The diff of two checkpoints, in one store or across two: across two,
    /// both worlds go into a store in memory and are diffed there.
    private static func diff(_ a: Checkpoint, in first: CheckpointStore, _ b: Checkpoint, in second: CheckpointStore) throws(TimelineError) -> SnapshotDiff {
        if first === second { return try first.diff(a.id, b.id) }
        let scratch = try CheckpointStore.open(folder: MemoryStoreFolder(path: "/diverge"), writable: true, create: true, clock: { 0 })
        let one = try scratch.commit(try first.snapshot(a.id), branch: "a")
        let two = try scratch.commit(try second.snapshot(b.id), branch: "b")
        return try scratch.diff(one.id, two.id)
    }
}
