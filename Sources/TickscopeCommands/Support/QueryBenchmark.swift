#if canImport(Glibc)
import Glibc
#endif
import CMalloc
import Interop
import PackCodec
import Simulations
import Timeline

/// `bench query`: the query engine and `diverge` over W3 recordings
/// (bench/WORKLOADS.md): a full scan that matches nothing, a series, and the
/// first difference between two recordings that part at a given tick.
struct QueryBenchmark {
    var entities: Int
    var checkpoints: Int
    var scanMilliseconds: Double
    var seriesMilliseconds: Double
    var divergeMilliseconds: Double
    var divergeTick: UInt64?
    /// Resident memory after the scan, above what it was before the store was opened.
    var scanResidentBytes: Int
    /// One snapshot's raw payload (36 bytes an entity).
    var snapshotBytes: Int { entities * 36 }

    static func measure(entities: Int, ticks: Int, partAt: Int, directory: String) throws -> QueryBenchmark {
        // Two recordings of W3; the second's entity 0 gains 1 health from tick `partAt` on.
        for (name, parting) in [("a", Int?.none), ("b", partAt)] {
            let store = try CheckpointStore.openForWriting(directory + "/" + name)
            var simulation = SwarmTimeline(entities: entities)
            for step in 0...ticks {
                if step > 0 { simulation.advance() }
                var world = simulation.snapshot
                if let parting, step >= parting, let column = world.archetypes[0].columnIndex(component: "Health", field: "value") {
                    var values = world.archetypes[0].columns[column].storage
                    values.withUnsafeMutableBytes { $0.storeBytes(of: $0.load(as: Float.self) + 1, as: Float.self) }
                    world.archetypes[0].columns[column] = try Column(fixedWidth: .float32, count: world.archetypes[0].count, storage: values)
                }
                try store.commit(world, options: WriteOptions(codec: .zstd(level: 1)))
            }
        }
        malloc_trim(0)
        let before = ResourceUsage.residentBytes()
        var resident = 0
        let scan = try ResourceUsage.medianMilliseconds(3) {
            // A fresh handle each run: nothing decoded before.
            let store = try CheckpointStore.open(directory + "/a")
            let result = try store.run(try Query.parse("first tick where Health.value < 0"))
            guard result.rows.isEmpty else { throw CommandFailure("bench query: W3 has no negative health, yet the scan found some") }
            resident = max(resident, ResourceUsage.residentBytes() - before)
        }
        let series = try ResourceUsage.medianMilliseconds(3) {
            _ = try CheckpointStore.open(directory + "/a").run(try Query.parse("count(Health.value < 10)"))
        }
        var tick: UInt64?
        let diverge = try ResourceUsage.medianMilliseconds(3) {
            let a = try CheckpointStore.open(directory + "/a"), b = try CheckpointStore.open(directory + "/b")
            tick = try Divergence.find(.init(store: a, branch: "main"), .init(store: b, branch: "main")).divergence?.tick
        }
        return QueryBenchmark(entities: entities, checkpoints: ticks + 1, scanMilliseconds: scan, seriesMilliseconds: series,
                              divergeMilliseconds: diverge, divergeTick: tick, scanResidentBytes: resident)
    }

    var json: JSONValue {
        .object([
            ("entities", .number(String(entities))), ("checkpoints", .number(String(checkpoints))),
            ("scan_ms", .number(CodecBenchmarkRow.format(scanMilliseconds))), ("series_ms", .number(CodecBenchmarkRow.format(seriesMilliseconds))),
            ("diverge_ms", .number(CodecBenchmarkRow.format(divergeMilliseconds))), ("diverge_tick", divergeTick.map { .number(String($0)) } ?? .null),
            ("scan_rss_bytes", .number(String(scanResidentBytes))), ("snapshot_bytes", .number(String(snapshotBytes))),
        ])
    }

    var text: [String] {
        [
            "bench query: W3, \(entities) entities, \(checkpoints) checkpoints",
            "  first tick where Health.value < 0 (no match, a full scan)  \(CodecBenchmarkRow.format(scanMilliseconds)) ms, \(scanResidentBytes / 1_000_000) MB resident (one snapshot: \(snapshotBytes / 1_000_000) MB)",
            "  count(Health.value < 10) at every checkpoint  \(CodecBenchmarkRow.format(seriesMilliseconds)) ms",
            "  diverge (the second recording parts at tick \(divergeTick.map(String.init) ?? "-"))  \(CodecBenchmarkRow.format(divergeMilliseconds)) ms",
        ]
    }
}
