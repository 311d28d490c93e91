import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

@Suite struct StoreTests {
    @Test("committed checkpoints, metadata and branches survive reopening")
    func reopen() throws {
        let directory = StoreDirectory()
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            let info = CheckpointInfo(name: "start", description: "the first", tags: ["a", "b"], custom: ["k": "v"])
            try store.commit(Worlds.mixed(seed: 0), info: info)
            try store.commit(Worlds.mixed(seed: 1))
        }
        let store = try CheckpointStore.open(directory.path)
        #expect(store.checkpoints.map(\.id) == [CheckpointID(rawValue: 1), CheckpointID(rawValue: 2)])
        let first = store.checkpoints[0]
        #expect(first.info == CheckpointInfo(name: "start", description: "the first", tags: ["a", "b"], custom: ["k": "v"]))
        #expect(first.parent == nil)
        #expect(store.checkpoints[1].parent == first.id)
        #expect(store.branches.map(\.name) == ["main"])
        #expect(try store.snapshot(first.id) == Worlds.mixed(seed: 0))
        #expect(try store.snapshot(store.checkpoints[1].id) == Worlds.mixed(seed: 1))
        #expect(store.verify().isEmpty)
    }

    @Test("an unchanged world costs no data bytes; a changed column costs about its own size")
    func deduplication() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        var world = Workload.swarm.snapshot(entities: 5_000)
        try store.commit(world)
        let afterFirst = store.manifest.dataFiles[0].length
        try store.commit(world)
        #expect(store.manifest.dataFiles[0].length == afterFirst)
        // Change one column (Health.value) only.
        var health = world.archetypes[0].columns[6].values(as: Float.self)
        health[0] += 1
        world.archetypes[0].columns[6] = Column(health)
        try store.commit(world)
        let added = store.manifest.dataFiles[0].length - afterFirst
        let healthRef = store.checkpoints[2].archetypes[0].columns[6]
        #expect(added == healthRef.length + UInt64(RecordFile.recordHeaderSize))
        #expect(Set(store.checkpoints[2].blockRefs).subtracting(store.checkpoints[1].blockRefs).count == 1)
    }

    @Test("columns rebuilt with the same bytes are the parent's blocks without hashing; a change in the last value alone is a new block with its own hash")
    func equalBytesReuseTheParentsBlocks() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let world = Workload.swarm.snapshot(entities: 5_000)
        let first = try store.commit(world)
        // Every array copied into a new buffer: equal bytes, no buffer shared with the committed world.
        var copy = world
        copy.archetypes[0].entities = world.archetypes[0].entities.map { EntityID(rawValue: $0.rawValue) }
        copy.archetypes[0].columns = world.archetypes[0].columns.map { Column($0.values(as: Float.self).map { $0 }) }
        var health = copy.archetypes[0].columns[6].values(as: Float.self)
        health[health.count - 1] += 1
        copy.archetypes[0].columns[6] = Column(health)
        let second = try store.commit(copy)
        let (before, after) = (first.archetypes[0], second.archetypes[0])
        #expect(after.entities == before.entities)
        #expect(Array(after.columns.prefix(6)) == Array(before.columns.prefix(6)))
        #expect(after.columns[6] != before.columns[6] && after.columns[6].contentHash == ContentHash(of: copy.archetypes[0].columns[6]))
        // Ids that differ in the last one only are new ids.
        var moved = copy
        moved.archetypes[0].entities[moved.archetypes[0].entities.count - 1] = EntityID(rawValue: 1 << 40)
        let third = try store.commit(moved)
        #expect(third.archetypes[0].entities.contentHash == ContentHash(type: .uint64, count: 5_000, raw: moved.archetypes[0].entities.withUnsafeBytes { Array($0) }))
        let reopened = try CheckpointStore.open(directory.path)
        #expect(try reopened.snapshot(second.id) == copy && reopened.snapshot(third.id) == moved)
        #expect(reopened.verify().isEmpty)
    }

    @Test("a remap: kept rows in order, removed rows named, appended rows after; anything else is no remap")
    func rowRemap() throws {
        let old = (1...10).map { EntityID($0) }
        let new = old.filter { $0.rawValue != 3 && $0.rawValue != 7 } + [EntityID(11), EntityID(12), EntityID(13)]
        let remap = try #require(RowRemap.between(old: old, new: new, limit: 5))
        #expect(remap == RowRemap(removed: [2, 6], appended: 3))
        let column = Column((1...10).map { Float($0) })
        let moved = try remap.apply(to: column)
        #expect(moved.values(as: Float.self) == [1, 2, 4, 5, 6, 8, 9, 10, 0, 0, 0])
        #expect(RowRemap.between(old: old, new: new, limit: 4) == nil, "5 rows moved, over the limit")
        #expect(RowRemap.between(old: old, new: Array(old.reversed()), limit: 10) == nil, "rows in another order are no remap")
        #expect(RowRemap.between(old: old, new: old, limit: 5) == nil, "nothing moved: a plain delta")
        // Fewer rows appended than removed, on a column nobody else holds (moved in place) and on one
        // still held (copied): the rows past the kept ones are zero, whatever they held, and the held one is unchanged.
        let shrink = RowRemap(removed: [0, 4, 9], appended: 1)
        #expect(try shrink.apply(to: Column((1...10).map { Float($0) })).values(as: Float.self) == [2, 3, 4, 6, 7, 8, 9, 0])
        #expect(try shrink.apply(to: column).values(as: Float.self) == [2, 3, 4, 6, 7, 8, 9, 0])
        #expect(column.values(as: Float.self) == (1...10).map { Float($0) })
        #expect(throws: PackError.self) { try RowRemap(removed: [3, 2], appended: 0).apply(to: column) }
        #expect(throws: PackError.self) { try RowRemap(removed: [10], appended: 0).apply(to: column) }
    }

    @Test("changed columns are stored as bounded delta chains, longer than store 1.6 allowed, and decode exactly, also after gc")
    func deltaChains() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        try SwarmTimeline.record(entities: 3_000, ticks: 30, into: store)
        var kinds: [UInt8: Int] = [:]
        var remapped = 0, xored = 0, deepest = 0
        for checkpoint in store.checkpoints {
            let ref = checkpoint.archetypes[0].columns[0] // Position.x changes every tick
            let (kind, payload) = try store.dataFiles[ref.file]!.readRecord(payloadAt: ref.offset, length: ref.length)
            kinds[kind, default: 0] += 1
            guard ColumnDelta.isDelta(kind) else { continue }
            let delta = try ColumnDelta(payload: payload, kind: kind)
            if delta.remap != nil { remapped += 1 }
            if delta.xorsValues { xored += 1 }
            deepest = max(deepest, delta.depth)
        }
        // Store 1.7: chains go past the 6 deltas of 1.6 (a tenth of the rows change a tick), up to 12.
        #expect(deepest > 6 && deepest <= ColumnDelta.maxChainDepth, "deepest delta \(deepest)")
        // Chains of deltas (kind 3, values XORed with their base's) while they weigh less than their full
        // block, then a full block; at the spawn tick (25), where a thousandth of the entities leave and
        // others join, a delta on remapped rows.
        #expect(kinds[ColumnDelta.remappedKind, default: 0] >= 20 && kinds[ColumnDelta.kind] == nil, "\(kinds)")
        #expect(xored == kinds[ColumnDelta.remappedKind] && remapped == 1, "\(remapped) remapped")
        #expect(kinds[1, default: 0] >= 2)
        var simulation = SwarmTimeline(entities: 3_000)
        for checkpoint in store.checkpoints {
            if checkpoint.tick > 0 { simulation.advance() }
            #expect(try store.snapshot(checkpoint.id) == simulation.snapshot, "tick \(checkpoint.tick)")
        }
        // Decoding a table's columns on all cores gives the same columns.
        let fresh = try CheckpointStore.open(directory.path)
        let last = fresh.checkpoints.last!
        #expect(try fresh.columns(last.archetypes[0].columns, label: "last") == simulation.snapshot.archetypes[0].columns)
        // Delete every other checkpoint: deltas keep their bases through gc.
        try store.delete(store.checkpoints.filter { $0.tick % 2 == 1 }.map(\.id))
        try store.collectGarbage()
        #expect(store.verify().isEmpty)
        var replay = SwarmTimeline(entities: 3_000)
        for checkpoint in try CheckpointStore.open(directory.path).checkpoints {
            while replay.tick < checkpoint.tick { replay.advance() }
            #expect(try store.snapshot(checkpoint.id) == replay.snapshot, "tick \(checkpoint.tick) after gc")
        }
    }

    @Test("W3 replaces 100, 101, 102 and 102 entities at ticks 25, 50, 75, 100 (WORKLOADS.md)")
    func swarmTimelineCrossCheck() {
        var simulation = SwarmTimeline(entities: 100_000)
        var replaced: [Int] = []
        for _ in 1...100 {
            simulation.advance()
            let t = simulation.tick
            if t % 25 == 0 {
                let ids = simulation.snapshot.archetypes[0].entities
                replaced.append(ids.filter { $0.rawValue >= 100_000 + t * 1000 && $0.rawValue < 100_000 + (t + 1) * 1000 }.count)
                #expect(ids.count == 100_000)
            }
        }
        #expect(replaced == [100, 101, 102, 102])
    }

    @Test("a second writer gets a clear error naming the holder")
    func lock() throws {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path)
        try writer.commit(Worlds.mixed(seed: 0))
        #expect(throws: TimelineError.locked(path: directory.path, holder: "pid \(getpid()) on \(ProcessInfo.processInfo.hostName)")) {
            try CheckpointStore.openForWriting(directory.path)
        }
        #expect(try CheckpointStore.open(directory.path).checkpoints.count == 1, "readers are not locked out")
    }

    @Test("a lock left by a dead writer is recovered with a message")
    func staleLock() throws {
        let directory = StoreDirectory()
        _ = try CheckpointStore.openForWriting(directory.path)
        try "pid 999999 on elsewhere\n".write(toFile: directory.path + "/LOCK", atomically: false, encoding: .utf8)
        let store = try CheckpointStore.openForWriting(directory.path)
        #expect(store.recoveredLock == "pid 999999 on elsewhere")
    }

    @Test("a reader follows a writer and sees each new checkpoint whole")
    func follow() throws {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path)
        let reader = try CheckpointStore.open(directory.path)
        #expect(try reader.refresh() == false)
        for seed in 0..<20 as Range<UInt64> {
            try writer.commit(Worlds.mixed(seed: seed))
            #expect(try reader.refresh())
            #expect(reader.checkpoints.count == Int(seed) + 1)
            #expect(try reader.snapshot(reader.checkpoints.last!.id) == Worlds.mixed(seed: seed))
        }
    }

    @Test("fork with an edit makes a branch whose first checkpoint differs by that cell")
    func forkWithEdit() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in 0..<3 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
        let base = try store.resolve("1")
        let edit = try #require(WorldEdit(assignment: "3.Score.points=100"))
        let (branch, first) = try store.fork(from: base.id, name: "fix", edits: [edit])
        #expect(branch.forkedFrom == base.id)
        #expect(first?.parent == base.id)
        #expect(try store.timeline(of: "fix").map(\.id) == [CheckpointID(rawValue: 1), base.id, first!.id])
        let diff = try store.diff(base.id, first!.id)
        #expect(diff.changed == [.init(entity: EntityID(3), component: "Score", field: "points", old: .int(0), new: .int(100))])
        #expect(try store.resolve("fix@last").id == first!.id)
        #expect(throws: TimelineError.branchExists("fix")) { try store.fork(from: base.id, name: "fix") }
        #expect(throws: TimelineError.self) { try store.fork(from: base.id, name: "bad", edits: [WorldEdit(assignment: "99.Score.points=1")!]) }
        let reopened = try CheckpointStore.open(directory.path)
        #expect(reopened.branches.map(\.name) == ["main", "fix"])
        #expect(reopened.branches[1].forkedFrom == base.id)
    }

    @Test("time travel: nearest checkpoint to a world time, fork at a time, prune by time")
    func timeTravel() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in [0, 10, 20, 30] as [UInt64] { try store.commit(Worlds.mixed(seed: seed)) } // world time = seed / 2
        #expect(try store.nearestCheckpoint(toTime: 6)?.tick == 10)
        #expect(try store.nearestCheckpoint(toTime: 100)?.tick == 30)
        let (branch, _) = try store.fork(atTime: 9.9, name: "late")
        #expect(branch.forkedFrom == (try store.resolve("20")).id)
        #expect(try store.prune(.beforeTime(5)).count == 1)
        #expect(try store.prune(.afterTime(12)).count == 1)
        #expect(store.checkpoints.map(\.tick) == [10, 20])
    }

    @Test("fork edits: despawn and spawn show up as such in the diff")
    func forkSpawnDespawn() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let base = try store.commit(Worlds.mixed(seed: 0))
        let spawn = try #require(WorldEdit(spawn: "77:Score.points=5,Name.text=new one"))
        let (_, first) = try store.fork(from: base.id, name: "edited", edits: [.despawn(EntityID(2)), spawn])
        let diff = try store.diff(base.id, first!.id)
        #expect(diff.spawned == [EntityID(77)])
        #expect(diff.despawned == [EntityID(2)])
        #expect(diff.changed.isEmpty)
        let world = try store.snapshot(first!.id)
        let archetype = try #require(world.archetypes.first { $0.components.map(\.name) == ["Name", "Score"] })
        #expect(archetype.column(component: "Score", field: "points")?.value(at: 0) == .int(5))
        #expect(archetype.column(component: "Name", field: "text")?.value(at: 0) == .string("new one"))
        #expect(throws: TimelineError.invalidRequest("entity 1 exists already")) {
            try store.fork(from: base.id, name: "twice", edits: [WorldEdit(spawn: "1:Score.points=1")!])
        }
        #expect(WorldEdit(spawn: "x:Score.points=1") == nil)
    }

    @Test("the replay cursor steps, seeks and loops")
    func replay() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in [0, 10, 20, 30] as [UInt64] { try store.commit(Worlds.mixed(seed: seed)) }
        var cursor = ReplayCursor(checkpoints: try store.timeline(of: "main"))
        #expect(cursor.current?.tick == 0)
        #expect(cursor.step(-1) == false)
        cursor.step(2)
        #expect(cursor.current?.tick == 20)
        cursor.seek(toTick: 25)
        #expect(cursor.current?.tick == 20)
        cursor.seek(toNearestTime: 14)
        #expect(cursor.current?.tick == 30, "world time is tick / 2 here: 15 is nearest to 14")
        cursor.seekToStart()
        cursor.isLooping = true
        cursor.step(-1)
        #expect(cursor.current?.tick == 30)
        let found = cursor.seek(to: CheckpointID(rawValue: 2))
        #expect(found)
        #expect(cursor.current?.tick == 10)
    }

    @Test("a damaged block, a missing file and a newer store version are reported with the file")
    func damage() throws {
        let directory = StoreDirectory()
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            try store.commit(Worlds.mixed(seed: 0))
        }
        let dataPath = directory.path + "/data-000001.tsd"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dataPath)))
        bytes[bytes.count - 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: dataPath))
        let store = try CheckpointStore.open(directory.path)
        let problems = store.verify()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(dataPath + ": block at offset") == true)

        var manifest = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST")))
        manifest[8] = 9
        let crc = CRC32.checksum(Array(manifest.dropLast(4)))
        manifest.replaceSubrange(manifest.count - 4..<manifest.count, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
        try Data(manifest).write(to: URL(fileURLWithPath: directory.path + "/MANIFEST"))
        #expect(throws: TimelineError.newerStoreVersion(path: directory.path + "/MANIFEST", major: 9)) {
            try CheckpointStore.open(directory.path)
        }
        #expect(throws: TimelineError.notAStore(path: directory.path + "/nothing")) { try CheckpointStore.open(directory.path + "/nothing") }
    }

    @Test("a batch commit writes the same bytes as one commit a world, and a world that fails commits none of the batch")
    func batchCommit() throws {
        let one = StoreDirectory(), batched = StoreDirectory()
        let clock: @Sendable () -> Int64 = { 1_700_000_000_000 }
        let worlds = (0..<6).map { Worlds.mixed(seed: UInt64($0 / 2)) }  // pairs repeat: blocks shared and deltas
        let a = try CheckpointStore.openForWriting(one.path, clock: clock)
        for world in worlds { try a.commit(world) }
        let b = try CheckpointStore.openForWriting(batched.path, clock: clock)
        let made = try b.commit(count: worlds.count) { (worlds[$0], CheckpointInfo()) }
        #expect(made.map(\.id.rawValue) == Array(1...6))
        let dataFiles = try FileManager.default.contentsOfDirectory(atPath: one.path).filter { $0.hasPrefix("data-") }
        #expect(!dataFiles.isEmpty)
        for name in dataFiles {
            #expect(FileManager.default.contents(atPath: one.path + "/" + name) == FileManager.default.contents(atPath: batched.path + "/" + name), "\(name)")
        }
        let reopened = try CheckpointStore.open(batched.path)
        #expect(try reopened.timeline(of: "main").map { try reopened.snapshot($0.id) } == worlds)

        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) {
            try b.commit(count: 3) { index in
                if index == 2 { throw Unreadable() }
                return (Worlds.mixed(seed: 40 + UInt64(index)), CheckpointInfo())
            }
        }
        #expect(b.checkpoints.count == 6)
        #expect(try CheckpointStore.open(batched.path).checkpoints.count == 6)
        // The writer goes on as if the failed batch had not been asked for.
        #expect(try b.commit(Worlds.mixed(seed: 9)).id.rawValue == 7)
        #expect(try CheckpointStore.open(batched.path).snapshot(CheckpointID(rawValue: 7)) == Worlds.mixed(seed: 9))
    }
}
