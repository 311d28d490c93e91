import PackCodec

/// The canonical benchmark worlds of `bench/WORKLOADS.md`.
public enum Workload: String, Sendable, CaseIterable {
    /// W1: Position (i·1.5, i·2.5, i·3.5) and Velocity (i·0.1, i·0.2, i·0.3).
    case ramp
    /// W2: Position, Velocity and Health drawn from splitmix64(42).
    case swarm

    /// The component types of the workload, all `f32` fields.
    public var schema: Schema {
        var components = [
            ComponentType(name: "Position", fields: [Field("x", .float32), Field("y", .float32), Field("z", .float32)]),
            ComponentType(name: "Velocity", fields: [Field("vx", .float32), Field("vy", .float32), Field("vz", .float32)]),
        ]
        if self == .swarm {
            components.append(ComponentType(name: "Health", fields: [Field("value", .float32)]))
        }
        return Schema(components: components)
    }

    /// The workload's world with `entities` entities (ids 0..<N) in one archetype.
    public func snapshot(entities: Int) -> Snapshot {
        switch self {
        case .ramp: Self.ramp(entities: entities)
        case .swarm: Self.swarm(entities: entities)
        }
    }

    private static func ramp(entities n: Int) -> Snapshot {
        var columns = [[Float]](repeating: [], count: 6)
        for index in columns.indices { columns[index].reserveCapacity(n) }
        for i in 0..<n {
            let f = Float(i)
            columns[0].append(f * 1.5)
            columns[1].append(f * 2.5)
            columns[2].append(f * 3.5)
            columns[3].append(f * 0.1)
            columns[4].append(f * 0.2)
            columns[5].append(f * 0.3)
        }
        return makeSnapshot(.ramp, entities: n, columns: columns)
    }

    private static func swarm(entities n: Int) -> Snapshot {
        var generator = SplitMix64()
        var columns = [[Float]](repeating: [], count: 7)
        for index in columns.indices { columns[index].reserveCapacity(n) }
        for i in 0..<n {
            let values = drawSwarmEntity(id: UInt64(i), from: &generator)
            for (index, value) in values.enumerated() { columns[index].append(value) }
        }
        return makeSnapshot(.swarm, entities: n, columns: columns)
    }

    /// Draws the 7 W2 values of entity `id` in WORKLOADS.md order:
    /// Position x, y, z, Velocity vx, vy, vz, Health value.
    public static func drawSwarmEntity(id: UInt64, from generator: inout SplitMix64) -> [Float] {
        let x = Float(id % 1024) * 4 + generator.unitFloat()
        let y = Float(id / 1024) * 4 + generator.unitFloat()
        let z = generator.unitFloat() * 16
        let vx = generator.unitFloat() * 2 - 1
        let vy = generator.unitFloat() * 2 - 1
        let vz = generator.unitFloat() * 2 - 1
        let health = (generator.unitFloat() * 101).rounded(.down)
        return [x, y, z, vx, vy, vz, health]
    }

    private static func makeSnapshot(_ workload: Workload, entities n: Int, columns: [[Float]]) -> Snapshot {
        let schema = workload.schema
        let archetype = Archetype(
            components: schema.components,
            entities: (0..<UInt64(n)).map(EntityID.init(rawValue:)),
            columns: columns.map(Column.init))
        return Snapshot(
            schema: schema, archetypes: [archetype],
            resources: Resources(tick: 0, worldTime: 0, seed: workload == .swarm ? 42 : 0),
            metadata: ["workload": "\(workload.rawValue) (bench/WORKLOADS.md)"])
    }

    /// The raw payload size: 8 bytes of id plus 4 bytes a field, per entity.
    public func rawBytes(entities: Int) -> Int {
        entities * (8 + 4 * schema.components.reduce(0) { $0 + $1.fields.count })
    }
}
