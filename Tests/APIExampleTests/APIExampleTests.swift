import Foundation
import Formats
import PackCodec
import Testing
import Timeline

/// The examples of docs/API.md, run as a user's program would: only the
/// public API of the library products (no `@testable`).
@Suite struct APIExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let sample = root + "/SampleWorlds/ecosystem"

    @Test("open a store: its branches, its timeline, one checkpoint's world")
    func openAStore() throws {
        // docs/API.md, "Open a store"
        let store = try CheckpointStore.open(Self.sample)
        let timeline = try store.timeline(of: "main")
        let world = try store.snapshot(timeline[100].id)
        #expect(store.branches.map(\.name) == ["main"] && timeline.count == 201)
        #expect(world.resources.tick == 100 && world.archetypes.reduce(0) { $0 + $1.count } == timeline[100].entityCount)
    }

    @Test("copy a store, then fork in the copy: the original is as it was")
    func copyAStore() throws {
        // docs/API.md, "Open a store"
        let folder = NSTemporaryDirectory() + "tickscope-api-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try StoreFiles.copy(Self.sample, to: folder)
        let mine = try CheckpointStore.openForWriting(folder, create: false)
        _ = try mine.fork(from: try mine.resolve("99").id, name: "fix", edits: [], info: CheckpointInfo(name: "fork"))
        #expect(try CheckpointStore.open(folder).branches.map(\.name) == ["main", "fix"])
        #expect(try CheckpointStore.open(Self.sample).branches.map(\.name) == ["main"])
        // Trimming it.
        let old = mine.checkpoints(prunedBy: .beforeTick(150))
        #expect(old.count == 150 && mine.checkpoints.count == 201)
        #expect(!mine.hasGarbage)
        try mine.prune(.beforeTick(150))
        #expect(mine.hasGarbage)
        let (before, after) = try mine.collectGarbage()
        #expect(after < before && !mine.hasGarbage && mine.checkpoints.map(\.tick) == Array(150...200))
        #expect(throws: TimelineError.self) { try mine.prune(.keepMostRecent(0)) }
        #expect(StoreFiles.store(owning: folder + "/MANIFEST") == folder)
        #expect(StoreFiles.store(owning: folder + "/notes.txt") == nil)
    }

    @Test("step: a session's view of one archetype and what changed against the checkpoint before")
    func step() throws {
        // docs/API.md, "Step through time"
        let store = try CheckpointStore.open(Self.sample)
        let session = try Session(store: store)
        session.cursor.seek(toTick: 99)
        try session.load(archetype: 1)
        session.cursor.step(1)
        try session.load(archetype: 1)
        let view = try #require(session.view)
        let health = try #require(view.keys.firstIndex(of: ColumnKey(component: "Health", field: "value")))
        let row = try #require(view.ids.firstIndex(of: EntityID(265)))
        #expect(view.columns[health].value(at: row) == .float32(-140))
        #expect(view.changes?.columns[health]?.contains(row) == true)
    }

    @Test("diff two checkpoints: the changed cells with their old and new values")
    func diff() throws {
        // docs/API.md, "Diff two checkpoints"
        let store = try CheckpointStore.open(Self.sample)
        let diff = try store.diff(try store.resolve("99").id, try store.resolve("100").id)
        let bite = try #require(diff.changed.first { $0.entity == EntityID(265) && $0.component == "Health" })
        #expect(bite.new == .float32(-140) && bite.old != bite.new)
    }

    @Test("the checkpoints either side of a tick the recording skipped")
    func neighbours() throws {
        // docs/API.md, "Diff two checkpoints": the orbits sample keeps every fourth tick.
        let store = try CheckpointStore.open(Self.root + "/SampleWorlds/orbits")
        #expect(throws: TimelineError.unknownCheckpoint("main@13")) { try store.resolve("main@13") }
        let (before, after) = try #require(store.catalog.neighbours(of: "main@13"))
        #expect(before.id.description == "c4" && before.tick == 12 && after.id.description == "c5" && after.tick == 16)
        #expect(store.catalog.neighbours(of: "12") == nil && store.catalog.neighbours(of: "401") == nil && store.catalog.neighbours(of: "c4") == nil)
    }

    @Test("run a filter and a query")
    func filterAndQuery() throws {
        // docs/API.md, "Filter and query"
        let store = try CheckpointStore.open(Self.sample)
        let first = try store.run(try Query.parse("first tick where Health.value < 0"))
        #expect(first.rows.first?.tick == 100 && first.rows.first?.entity == EntityID(265))
        let condition = try RowCondition.parse("Health.value < 0")
        let checkpoint = try store.resolve("100")
        try condition.check(against: [checkpoint.schema])
        var matches: [EntityID] = []
        for stored in checkpoint.archetypes where condition.mayMatch(stored) {
            let (ids, columns) = try store.decode(stored, label: "c101")
            let keys = stored.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
            let rows = try condition.matchingRows(count: ids.count, ids: ids, components: Set(stored.components.map(\.name)),
                                                  columns: Dictionary(uniqueKeysWithValues: zip(keys, columns)))
            matches += rows.map { ids[$0] }
        }
        #expect(matches == [EntityID(265)])
    }

    @Test("open anything as a timeline, and read and write snapshot files")
    func formatsAndFiles() throws {
        // docs/API.md, "Open any format" and "Snapshot files"
        let folder = Self.root + "/Tests/InteropTests/Fixtures/tx2pack/checkpoints-w3-annotated"
        let timeline = try AnyTimeline.open(folder, key: nil)
        #expect(try timeline.store.timeline(of: "main").count == 21)
        let world = try SnapshotReader(path: Self.root + "/SampleWorlds/swarm-1000.tscp", key: nil).readSnapshot()
        let path = NSTemporaryDirectory() + "api-example-\(UUID().uuidString).tscp"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try world.write(to: path, options: WriteOptions(codec: .zstd(level: 3)))
        #expect(try SnapshotReader(path: path, key: nil).readSnapshot() == world)
    }
}
