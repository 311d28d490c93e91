import PackCodec
import Testing
@testable import TickscopeRecorder

/// The recorder's pool of column buffers: a buffer of a committed world is
/// used again for a later frame (memory written before costs no page
/// faults), never while anything else still holds it, and kept once however
/// many worlds shared it.
@Suite struct BufferPoolTests {
    private static func world(_ storages: [[UInt8]]) -> Snapshot {
        let component = ComponentType(name: "C", fields: storages.indices.map { Field("f\($0)", .uint8) })
        let columns = storages.map { try! Column(fixedWidth: .uint8, count: $0.count, storage: $0) }
        let archetype = Archetype(components: [component], entities: (0..<UInt64(storages[0].count)).map { EntityID(rawValue: $0) }, columns: columns)
        return Snapshot(schema: Schema(components: [component]), archetypes: [archetype])
    }

    private static func address(_ buffer: [UInt8]) -> UnsafeRawPointer? {
        buffer.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test("a buffer nothing else holds comes back, emptied, with its capacity")
    func reusesAFreeBuffer() {
        let pool = BufferPool()
        var storage = [UInt8](repeating: 7, count: 4096)
        let address = Self.address(storage)
        let world = Self.world([storage])
        storage = []
        pool.recycle(consume world)
        let taken = pool.takeBytes(capacity: 4000)
        #expect(taken.isEmpty && taken.capacity >= 4096)
        #expect(Self.address(taken) == address)
    }

    @Test("a buffer still held elsewhere is not kept, and what holds it keeps its values")
    func skipsASharedBuffer() {
        let pool = BufferPool()
        let held = [UInt8](repeating: 9, count: 4096)
        pool.recycle(Self.world([held]))
        var taken = pool.takeBytes(capacity: 4096)
        #expect(Self.address(taken) != Self.address(held))
        taken.append(contentsOf: [UInt8](repeating: 1, count: 4096))
        #expect(held.allSatisfy { $0 == 9 })
    }

    @Test("a buffer shared by several recycled worlds is kept once, with the last of them")
    func keepsASharedBufferOnce() {
        let pool = BufferPool()
        var unchanged = [UInt8](repeating: 3, count: 4096)
        let address = Self.address(unchanged)
        var worlds = (0..<3).map { _ in Self.world([unchanged]) }
        unchanged = []
        while let world = worlds.popLast() { pool.recycle(world) }
        let first = pool.takeBytes(capacity: 4096), second = pool.takeBytes(capacity: 4096)
        #expect(Self.address(first) == address)
        #expect(Self.address(second) != address)
    }
}
