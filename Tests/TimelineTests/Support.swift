import Foundation
import PackCodec
import Simulations
import Timeline

/// A fresh directory for one test, removed afterwards.
final class StoreDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "tickscope-store-" + UUID().uuidString
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// W3 (`SwarmTimeline`) at `entities`, tick 0 and `ticks` more,
    /// recorded into a fresh directory (zstd:1) and opened for reading,
    /// with its main timeline.
    static func w3(entities: Int, ticks: Int) throws -> (directory: StoreDirectory, store: CheckpointStore, timeline: [Checkpoint]) {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path)
        try SwarmTimeline.record(entities: entities, ticks: ticks, into: writer, branch: CheckpointStore.mainBranch, options: WriteOptions(codec: .zstd(level: 1)))
        let store = try CheckpointStore.open(directory.path)
        return (directory, store, try store.timeline(of: CheckpointStore.mainBranch))
    }
}

enum Worlds {
    /// A small world with several types, two archetypes and strings.
    static func mixed(seed: UInt64) -> Snapshot {
        let body = ComponentType(name: "Body", fields: [Field("x", .float32), Field("mass", .float64), Field("alive", .bool)])
        let name = ComponentType(name: "Name", fields: [Field("text", .string)])
        let score = ComponentType(name: "Score", fields: [Field("points", .int64)])
        let ids: [UInt64] = [1, 2, 3, 4]
        return Snapshot(
            schema: Schema(components: [body, name, score]),
            archetypes: [
                Archetype(components: [body, score], entities: ids.map(EntityID.init(rawValue:)), columns: [
                    Column(ids.map { Float($0) * 1.5 + Float(seed) }), Column(ids.map { Double($0) }), Column(ids.map { $0 % 2 == 0 }),
                    Column(ids.map { Int64($0) - 3 }),
                ]),
                Archetype(components: [name], entities: [EntityID(10)], columns: [Column(strings: ["größe \(seed)"])]),
            ],
            resources: Resources(tick: seed, worldTime: Double(seed) / 2, seed: 7, custom: ["map": "forest"]),
            metadata: ["by": "tests"])
    }
}
