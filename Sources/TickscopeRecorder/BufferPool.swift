import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Column buffers of committed worlds, kept for the next frames: copying a
/// frame into memory that was written before costs no page faults, while a
/// fresh allocation of a large column is zero-filled page by page by the
/// kernel (most of a hand-over's time at 100,000 entities).
///
/// Reuse is safe whoever else still holds a buffer: arrays copy on write, so
/// a buffer still shared (with the store's last world, say) is copied, not
/// overwritten. A class shared by the recorder's two threads; `@unchecked
/// Sendable` because its lists are touched only under `mutex`.
public final class BufferPool: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var bytes: [[UInt8]] = []
    private var ids: [[EntityID]] = []
    /// How many spare buffers of each kind are kept.
    private let limit: Int

    init(limit: Int = 64) {
        self.limit = limit
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// An empty byte buffer with room for at least `capacity` bytes, spare
    /// if one fits.
    public func takeBytes(capacity: Int) -> [UInt8] { take(from: \.bytes, capacity: capacity) }

    /// An empty id buffer with room for at least `capacity` ids.
    public func takeIDs(capacity: Int) -> [EntityID] { take(from: \.ids, capacity: capacity) }

    private func take<Element>(from list: ReferenceWritableKeyPath<BufferPool, [[Element]]>, capacity: Int) -> [Element] {
        var buffer = locked { () -> [Element] in
            guard let index = self[keyPath: list].firstIndex(where: { $0.capacity >= capacity }) else { return [] }
            return self[keyPath: list].remove(at: index)
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(capacity)
        return buffer
    }

    /// Keeps the buffers of a world nobody needs any more.
    func recycle(_ world: consuming Snapshot) {
        var spareBytes: [[UInt8]] = [], spareIDs: [[EntityID]] = []
        for archetype in world.archetypes {
            spareIDs.append(archetype.entities)
            for column in archetype.columns where column.ends.isEmpty { spareBytes.append(column.storage) }
        }
        world = Snapshot(schema: Schema())
        locked {
            bytes.append(contentsOf: spareBytes.prefix(max(0, limit - bytes.count)))
            ids.append(contentsOf: spareIDs.prefix(max(0, limit - ids.count)))
        }
    }
}
