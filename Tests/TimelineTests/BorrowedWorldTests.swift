import Foundation
import PackCodec
import Testing
import TickscopeRecorder
import Timeline

/// Worlds handed over on loan: built once from the caller's memory, by the
/// writer when it keeps up, and never read after the next hand-over, flush
/// or close returns.
@Suite struct BorrowedWorldTests {
    private static let component = ComponentType(name: "Heat", fields: [Field("value", .float64)])

    /// Where and how often a world was built.
    private final class Builds: @unchecked Sendable {
        var count = 0
        var threads: [pthread_t] = []
    }

    /// A world whose one column is read from `memory` when it is built.
    private static func lent(_ memory: UnsafeMutableBufferPointer<Double>, tick: UInt64, builds: Builds) -> BorrowedWorld {
        BorrowedWorld(bytes: memory.count * 16) {
            builds.count += 1
            builds.threads.append(pthread_self())
            let ids = (0..<UInt64(memory.count)).map(EntityID.init(rawValue:))
            let archetype = Archetype(components: [component], entities: ids, columns: [Column(Array(memory))])
            return Snapshot(schema: Schema(components: [component]), archetypes: [archetype], resources: Resources(tick: tick))
        }
    }

    private static func values(_ store: CheckpointStore, _ index: Int) throws -> [Double] {
        try store.snapshot(store.checkpoints[index].id).archetypes[0].columns[0].values(as: Double.self)
    }

    @Test("the writer builds a lent world itself when it keeps up, once, and the values are the memory's")
    func builtByTheWriter() throws {
        let directory = StoreDirectory()
        let recorder = try Recorder(store: directory.path)
        let memory = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1000)
        defer { memory.deallocate() }
        for index in memory.indices { memory[index] = Double(index) * 0.5 }
        let builds = Builds(), world = Self.lent(memory, tick: 1, builds: builds)
        try recorder.record(world)
        // Wait for the writer, without ending the loan: no flush yet.
        for _ in 0..<2000 where recorder.progress.durable < 1 { usleep(5000) }
        #expect(recorder.progress.durable == 1 && world.isSettled)
        try recorder.close()
        #expect(builds.count == 1 && builds.threads.count == 1 && pthread_equal(builds.threads[0], pthread_self()) == 0)
        #expect(try Self.values(CheckpointStore.open(directory.path), 0) == (0..<1000).map { Double($0) * 0.5 })
    }

    @Test("the next hand-over ends the loan: memory changed after it returns does not reach the store")
    func nextHandOverEndsTheLoan() throws {
        let directory = StoreDirectory()
        // Handed over faster than the writer syncs: it is behind, so most loans are ended by the caller building the world.
        let recorder = try Recorder(store: directory.path)
        let buffers = (0..<2).map { _ in UnsafeMutableBufferPointer<Double>.allocate(capacity: 20_000) }
        defer { buffers.forEach { $0.deallocate() } }
        let builds = Builds()
        var lent: [BorrowedWorld] = []
        for tick in 0..<30 as Range<UInt64> {
            let memory = buffers[Int(tick % 2)]
            for index in memory.indices { memory[index] = Double(tick) * 1000 + Double(index) }
            lent.append(Self.lent(memory, tick: tick, builds: builds))
            try recorder.record(lent.last!)
            if tick > 0 {
                #expect(lent[lent.count - 2].isSettled)
                // Scribbled over once its loan is over: the store must still have the values it was lent with.
                let previous = buffers[Int((tick - 1) % 2)]
                for index in previous.indices { previous[index] = -1 }
            }
        }
        try recorder.flush()
        #expect(lent.allSatisfy(\.isSettled) && builds.count == 30)
        try recorder.close()
        let store = try CheckpointStore.open(directory.path)
        #expect(store.checkpoints.map(\.tick) == Array(0..<30))
        for tick in [0, 1, 17, 28, 29] {
            #expect(try Self.values(store, tick) == (0..<20_000).map { Double(tick) * 1000 + Double($0) })
        }
    }

    @Test("a lent world that fails to build stops the recorder with its reason; the worlds before it stay, nothing of it is committed")
    func aWorldThatFailsToBuild() throws {
        let directory = StoreDirectory()
        let recorder = try Recorder(store: directory.path)
        let memory = UnsafeMutableBufferPointer<Double>.allocate(capacity: 10)
        defer { memory.deallocate() }
        memory.initialize(repeating: 1)
        try recorder.record(Self.lent(memory, tick: 0, builds: Builds()))
        try recorder.record(BorrowedWorld(bytes: 80) { () throws(TimelineError) in throw .invalidRequest("tick 1: Heat.value is not a number") })
        #expect(throws: TimelineError.invalidRequest("tick 1: Heat.value is not a number")) { try recorder.flush() }
        #expect(throws: TimelineError.self) { try recorder.close() }
        #expect(try CheckpointStore.open(directory.path).checkpoints.map(\.tick) == [0])
    }
}
