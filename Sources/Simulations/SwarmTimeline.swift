import PackCodec
import Timeline

/// Workload W3 `swarm-timeline` of `bench/WORKLOADS.md`: W2 at tick 0, then
/// each tick moves a tenth of the entities, wears down a hundredth's
/// health, and every 25th tick replaces the entities whose id ends in the
/// tick's last three digits. Deterministic: the same N gives the same
/// worlds, tick by tick.
public struct SwarmTimeline: Sendable {
    /// The entity count at tick 0.
    public let initialEntities: Int
    /// The tick of the current world.
    public private(set) var tick: UInt64 = 0
    private var generator = SplitMix64()
    private var ids: [UInt64] = []
    private var values: [[Float]] = Array(repeating: [], count: 7)

    /// The world at tick 0: W2 with `entities` entities.
    public init(entities: Int) {
        initialEntities = entities
        for index in values.indices { values[index].reserveCapacity(entities) }
        for i in 0..<entities { spawn(id: UInt64(i)) }
    }

    private mutating func spawn(id: UInt64) {
        ids.append(id)
        let drawn = Workload.drawSwarmEntity(id: id, from: &generator)
        for (index, value) in drawn.enumerated() { values[index].append(value) }
    }

    /// Runs one tick: move, then health, then (every 25th tick) despawn and spawn.
    public mutating func advance() {
        tick += 1
        let t = tick
        for row in ids.indices where ids[row] % 10 == t % 10 {
            values[0][row] += values[3][row] * 0.5
            values[1][row] += values[4][row] * 0.5
            values[2][row] += values[5][row] * 0.5
        }
        for row in ids.indices where ids[row] % 100 == t % 100 {
            values[6][row] = max(0, values[6][row] - 1)
        }
        if t % 25 == 0 {
            let keep = ids.indices.filter { ids[$0] % 1000 != t % 1000 }
            let replaced = ids.count - keep.count
            let oldIDs = ids
            ids = keep.map { oldIDs[$0] }
            for index in values.indices {
                let column = values[index]
                values[index] = keep.map { column[$0] }
            }
            for k in 0..<UInt64(replaced) { spawn(id: UInt64(initialEntities) + t * 1000 + k) }
        }
    }

    /// The current world, with world time = tick seconds.
    public var snapshot: Snapshot {
        let schema = Workload.swarm.schema
        let archetype = Archetype(
            components: schema.components, entities: ids.map(EntityID.init(rawValue:)), columns: values.map(Column.init))
        return Snapshot(
            schema: schema, archetypes: [archetype],
            resources: Resources(tick: tick, worldTime: Double(tick), seed: 42),
            metadata: ["workload": "swarm-timeline (bench/WORKLOADS.md)"])
    }

    /// Records checkpoints 0…`ticks` into `store` on `branch`, each with
    /// the previous one as parent, through the public store API.
    /// - Parameter progress: called after each commit with the new checkpoint.
    public static func record(
        entities: Int, ticks: Int, into store: CheckpointStore, branch: String = CheckpointStore.mainBranch,
        options: WriteOptions = WriteOptions(codec: .zstd(level: 1)), progress: (Checkpoint) -> Void = { _ in }
    ) throws(TimelineError) {
        var simulation = SwarmTimeline(entities: entities)
        for step in 0...ticks {
            if step > 0 { simulation.advance() }
            let checkpoint = try store.commit(
                simulation.snapshot, branch: branch,
                info: CheckpointInfo(name: "tick \(simulation.tick)", tags: ["w3"]), options: options)
            progress(checkpoint)
        }
    }
}
