import Foundation
import PackCodec
import Testing
import TickscopeRecorder
@testable import Timeline

/// The Swift recorder as a simulation uses it: worlds handed over on one
/// thread are committed in order by another; flush means durable.
@Suite struct RecorderTests {
    @Test("worlds handed over are committed in order, each exactly, and flush covers them all")
    func recordsInOrder() throws {
        let directory = StoreDirectory()
        let recorder = try Recorder(store: directory.path)
        let worlds = (0..<30 as Range<UInt64>).map(Worlds.mixed(seed:))
        for world in worlds { try recorder.record(world, info: CheckpointInfo(name: "w\(world.resources.tick)")) }
        try recorder.flush()
        #expect(recorder.progress.handedOver == 30 && recorder.progress.durable == 30)
        // Durable means another reader sees every one, while the recorder is still open.
        let store = try CheckpointStore.open(directory.path)
        #expect(store.checkpoints.map(\.info.name) == worlds.map { "w\($0.resources.tick)" })
        for (checkpoint, world) in zip(store.checkpoints, worlds) { #expect(try store.snapshot(checkpoint.id) == world) }
        try recorder.close()
        try recorder.close()
        #expect(throws: TimelineError.self) { try recorder.record(worlds[0]) }
    }

    @Test("a column handed over as the very buffer of the parent's world is the parent's block, without hashing; a changed one is not")
    func sharedBuffersAreTheParentsBlocks() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let first = Worlds.mixed(seed: 1)
        let one = try store.commit(first)
        var second = first  // every buffer shared
        second.resources.tick = 2
        second.archetypes[0].columns[1] = Column(first.archetypes[0].columns[1].values(as: Double.self).map { $0 + 1 })
        let two = try store.commit(second)
        #expect(two.archetypes[0].entities == one.archetypes[0].entities)
        #expect(two.archetypes[0].columns[0] == one.archetypes[0].columns[0] && two.archetypes[1].columns == one.archetypes[1].columns)
        #expect(two.archetypes[0].columns[1] != one.archetypes[0].columns[1])
        #expect(try store.snapshot(two.id) == second && store.verify().isEmpty)
        #expect(try CheckpointStore.open(directory.path).snapshot(two.id) == second)
    }

    @Test("a queue smaller than one world still takes every world, one at a time (back-pressure, not loss)")
    func backPressure() throws {
        let directory = StoreDirectory()
        let recorder = try Recorder(store: directory.path, options: .init(queueLimitBytes: 1))
        for seed in 0..<25 as Range<UInt64> { try recorder.record(Worlds.mixed(seed: seed)) }
        try recorder.close()
        #expect(try CheckpointStore.open(directory.path).checkpoints.map(\.tick) == Array(0..<25))
    }

    @Test("a world the store refuses stops the writer; every later call reports why, and what was durable stays")
    func writerFailure() throws {
        let directory = StoreDirectory()
        let recorder = try Recorder(store: directory.path)
        try recorder.record(Worlds.mixed(seed: 1))
        try recorder.flush()
        var broken = Worlds.mixed(seed: 2)
        broken.archetypes[0].columns.removeLast()  // a column short of the schema
        try recorder.record(broken)
        #expect(throws: TimelineError.self) { try recorder.flush() }
        #expect(throws: TimelineError.self) { try recorder.record(Worlds.mixed(seed: 3)) }
        #expect(throws: TimelineError.self) { try recorder.close() }
        #expect(try CheckpointStore.open(directory.path).checkpoints.map(\.tick) == [1])
    }

    @Test("worlds handed over before a bad one, unflushed, are still committed when they wait in the same group")
    func goodWorldsBeforeABadOne() throws {
        let directory = StoreDirectory()
        // A queue large enough that all of them wait together and are committed as one group.
        let recorder = try Recorder(store: directory.path)
        var broken = Worlds.mixed(seed: 9)
        broken.archetypes[0].columns.removeLast()
        for seed in 0..<8 as Range<UInt64> { try recorder.record(Worlds.mixed(seed: seed)) }
        try recorder.record(broken)
        #expect(throws: TimelineError.self) { try recorder.close() }
        #expect(try CheckpointStore.open(directory.path).checkpoints.map(\.tick) == Array(0..<8))
    }

    @Test("recording on a fork carries it on after its fork point; a second writer is refused while the recorder holds the store")
    func recordsOnAFork() throws {
        let directory = StoreDirectory()
        let main = try Recorder(store: directory.path)
        for seed in 0..<5 as Range<UInt64> { try main.record(Worlds.mixed(seed: seed)) }
        try main.flush()
        #expect(throws: TimelineError.self) { try CheckpointStore.openForWriting(directory.path) }
        try main.close()
        try CheckpointStore.openForWriting(directory.path).fork(from: CheckpointID(rawValue: 3), name: "alt")
        let fork = try Recorder(store: directory.path, branch: "alt")
        try fork.record(Worlds.mixed(seed: 40))
        try fork.close()
        let store = try CheckpointStore.open(directory.path)
        // The fork's first checkpoint follows its fork point, so its timeline runs on from main's.
        #expect(try store.timeline(of: "alt").map(\.tick) == [0, 1, 2, 40])
        #expect(try store.timeline(of: "alt").last?.parent == CheckpointID(rawValue: 3))
        #expect(throws: TimelineError.self) { try Recorder(store: directory.path, branch: "a@b") }
    }
}
