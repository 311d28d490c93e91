import Interop
import PackCodec
import Simulations
import Timeline

/// `bench store`: W3 recorded into a store, then opened, sought and diffed.
struct StoreBenchmark {
    var entities: Int
    var ticks: Int
    var isEncrypted: Bool
    var bytesOnDisk: UInt64
    var standaloneBytes: Int
    var saveMilliseconds: Double
    var openMilliseconds: Double
    var seekMilliseconds: Double
    var diffMilliseconds: Double

    /// - Parameter key: records into an encrypted store when given.
    static func measure(entities: Int, ticks: Int, runs: Int, directory: String, key: EncryptionKey? = nil) throws -> StoreBenchmark {
        let options = WriteOptions(codec: .zstd(level: 1))
        let path = directory + "/store"
        let store = try CheckpointStore.openForWriting(path, key: key)
        var simulation = SwarmTimeline(entities: entities)
        let standalone = try simulation.snapshot.encoded(options: options).count
        var saves: [Double] = []
        for step in 0...ticks {
            if step > 0 { simulation.advance() }
            let world = simulation.snapshot
            let start = ResourceUsage.wallSeconds()
            try store.commit(world, info: CheckpointInfo(name: "tick \(simulation.tick)"), options: options)
            saves.append((ResourceUsage.wallSeconds() - start) * 1000)
        }
        let open = try ResourceUsage.medianMilliseconds(runs) { _ = try CheckpointStore.open(path, key: key) }
        let reader = try CheckpointStore.open(path, key: key)
        let checkpoints = reader.checkpoints
        var random = SplitMix64(state: 1)
        let seek = try ResourceUsage.medianMilliseconds(runs) {
            let checkpoint = checkpoints[Int(random.next() % UInt64(checkpoints.count))]
            // What the first screen needs: ids and every column of the first archetype, 100 rows shown.
            let archetype = checkpoint.archetypes[0]
            let ids = try reader.entities(archetype.entities, label: "ids")
            let columns = try reader.columns(archetype.columns, label: checkpoint.id.description)
            let shown = ids.prefix(100).count + columns.reduce(0) { $0 + min(100, $1.count) }
            precondition(shown > 0)
        }
        let diff = try ResourceUsage.medianMilliseconds(runs) {
            let index = 1 + Int(random.next() % UInt64(max(1, checkpoints.count - 1)))
            _ = try reader.diff(checkpoints[index - 1].id, checkpoints[min(index, checkpoints.count - 1)].id)
        }
        return StoreBenchmark(
            entities: entities, ticks: ticks, isEncrypted: key != nil, bytesOnDisk: store.bytesOnDisk, standaloneBytes: standalone,
            saveMilliseconds: saves.sorted()[saves.count / 2], openMilliseconds: open, seekMilliseconds: seek, diffMilliseconds: diff)
    }

    /// The store's size against (T+1) standalone snapshot files, in percent.
    var percentOfStandalone: Double { Double(bytesOnDisk) * 100 / Double(standaloneBytes * (ticks + 1)) }

    var json: JSONValue {
        .object([
            ("workload", .string("swarm-timeline")), ("entities", .number(String(entities))), ("ticks", .number(String(ticks))),
            ("encrypted", .bool(isEncrypted)),
            ("bytes_on_disk", .number(String(bytesOnDisk))), ("standalone_bytes", .number(String(standaloneBytes))),
            ("percent_of_standalone", .number(CodecBenchmarkRow.format(percentOfStandalone, digits: 1))),
            ("save_ms", .number(CodecBenchmarkRow.format(saveMilliseconds))), ("open_ms", .number(CodecBenchmarkRow.format(openMilliseconds))),
            ("seek_ms", .number(CodecBenchmarkRow.format(seekMilliseconds))), ("diff_ms", .number(CodecBenchmarkRow.format(diffMilliseconds))),
        ])
    }

    var text: [String] {
        [
            "W3 swarm-timeline, \(entities) entities, \(ticks + 1) checkpoints (zstd:1\(isEncrypted ? ", encrypted store" : ""))",
            "  bytes on disk        \(bytesOnDisk) (\(CodecBenchmarkRow.format(percentOfStandalone, digits: 1))% of \(ticks + 1) standalone files of \(standaloneBytes) bytes)",
            "  save one checkpoint  \(CodecBenchmarkRow.format(saveMilliseconds)) ms (median)",
            "  open the store       \(CodecBenchmarkRow.format(openMilliseconds)) ms",
            "  seek + first screen  \(CodecBenchmarkRow.format(seekMilliseconds)) ms",
            "  diff neighbours      \(CodecBenchmarkRow.format(diffMilliseconds)) ms",
        ]
    }
}
