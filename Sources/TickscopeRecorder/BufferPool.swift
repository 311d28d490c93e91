import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Column buffers of committed worlds, kept for the next frames: copying a
/// frame into memory that was written before costs no page faults, while a
/// fresh allocation of a large column is zero-filled page by page by the
/// kernel (most of a hand-over's time at 100,000 entities).
///
/// Only buffers that nothing else holds are kept, so a buffer taken is
/// written in place (arrays copy on write: a shared one would be copied into
/// fresh memory on the first append, never overwritten). A class shared by
/// the recorder's two threads; `@unchecked Sendable` because its lists are
/// touched only under `lock`.
public final class BufferPool: @unchecked Sendable {
    private let lock = Lock()
    private var bytes: [[UInt8]] = []
    private var ids: [[EntityID]] = []
    /// How many spare buffers of each kind are kept.
    private let limit: Int

    init(limit: Int = 64) {
        self.limit = limit
    }

    private func locked<T>(_ body: () -> T) -> T { lock.withLock(body) }

    /// An empty byte buffer with room for at least `capacity` bytes, spare
    /// if one fits.
    public func takeBytes(capacity: Int) -> [UInt8] { take(from: \.bytes, capacity: capacity) }

    /// An empty id buffer with room for at least `capacity` ids.
    public func takeIDs(capacity: Int) -> [EntityID] { take(from: \.ids, capacity: capacity) }

    /// A spare buffer with room for `capacity` elements, or a fresh one.
    private func take<Element>(from list: ReferenceWritableKeyPath<BufferPool, [[Element]]>, capacity: Int) -> [Element] {
        // One binding only: a second copy of the spare would make it shared, and the first append would copy it.
        guard let spare = locked({ () -> [Element]? in
            guard let index = self[keyPath: list].firstIndex(where: { $0.capacity >= capacity }) else { return nil }
            return self[keyPath: list].remove(at: index)
        }) else {
            var fresh: [Element] = []
            fresh.reserveCapacity(capacity)
            return fresh
        }
        return spare
    }

    /// Keeps the buffers of a committed world that nothing else holds any
    /// more, emptied. A buffer still shared (an unchanged column lives on
    /// in the worlds after it, and in the last frame the caller handed
    /// over) is left to its other holders: it comes back with the last
    /// world that holds it.
    func recycle(_ world: consuming Snapshot) {
        var spareBytes: [[UInt8]] = [], spareIDs: [[EntityID]] = []
        for archetype in world.archetypes {
            spareIDs.append(archetype.entities)
            for column in archetype.columns where column.ends.isEmpty { spareBytes.append(column.storage) }
        }
        world = Snapshot(schema: Schema())
        let bytes = Self.unshared(&spareBytes), ids = Self.unshared(&spareIDs)
        locked {
            self.bytes.append(contentsOf: bytes.prefix(max(0, limit - self.bytes.count)))
            self.ids.append(contentsOf: ids.prefix(max(0, limit - self.ids.count)))
        }
    }

    /// The buffers moved out of `spares` that were held nowhere else,
    /// emptied. `removeAll(keepingCapacity:)` keeps a buffer in place only
    /// when it is not shared (a shared one is replaced by a new, untouched
    /// allocation), which is how a shared one is told apart.
    private static func unshared<Element>(_ spares: inout [[Element]]) -> [[Element]] {
        var kept: [[Element]] = []
        while var buffer = spares.popLast() {
            guard buffer.capacity > 0 else { continue }
            let address = buffer.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            buffer.removeAll(keepingCapacity: true)
            if buffer.withUnsafeBufferPointer({ UnsafeRawPointer($0.baseAddress) }) == address { kept.append(buffer) }
        }
        return kept
    }
}
