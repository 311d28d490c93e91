import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// The hand-over between a simulation thread and the writer thread: a
/// bounded queue of worlds (bounded in bytes, not count), and what the
/// writer has done with them. One mutex guards everything; `changed` is
/// broadcast whenever the writer finishes a world or stops.
///
/// A class because both threads share one instance; `@unchecked Sendable`
/// because every stored property is touched only under `mutex`.
final class CommitQueue: @unchecked Sendable {
    /// One world waiting for the writer.
    struct Item {
        var world: Snapshot
        /// A world still in the caller's memory, built by the writer in
        /// place of `world`.
        var borrowed: BorrowedWorld? = nil
        var info: CheckpointInfo
        var bytes: Int
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var items: [Item] = []
    private var head = 0
    private var queuedBytes = 0
    private var closing = false
    /// Why the writer stopped, once it has: every later call reports it.
    private var failure: TimelineError?
    /// The largest number of bytes that may wait; one world larger than
    /// this is still taken when nothing else waits.
    let limit: Int
    /// Worlds handed over and worlds made durable, for flush and tests.
    private var handedOver = 0
    private var durable = 0

    init(limit: Int) {
        self.limit = max(1, limit)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    private func locked<T>(_ body: () throws(TimelineError) -> T) throws(TimelineError) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    private func wait() { pthread_cond_wait(changed, mutex) }
    private func wakeAll() { pthread_cond_broadcast(changed) }

    /// Adds a world, waiting while the queue is over its limit
    /// (back-pressure). Fails when the writer has stopped.
    func push(_ item: Item) throws(TimelineError) {
        try locked { () throws(TimelineError) in
            while failure == nil, !closing, queuedBytes > 0, queuedBytes + item.bytes > limit { wait() }
            if let failure { throw failure }
            guard !closing else { throw .invalidRequest("the recorder is closed") }
            items.append(item)
            queuedBytes += item.bytes
            handedOver += 1
            wakeAll()
        }
    }

    /// Waits until every world handed over so far is durable, or the writer
    /// stopped.
    func waitUntilDurable() throws(TimelineError) {
        try locked { () throws(TimelineError) in
            let target = handedOver
            while failure == nil, durable < target { wait() }
            if let failure { throw failure }
        }
    }

    /// Stops taking worlds; the writer finishes those queued, then ends.
    func close() {
        try? locked { () throws(TimelineError) in
            closing = true
            wakeAll()
        }
    }

    /// The writer's side: every world waiting (at most `maxCount`), to
    /// commit together; empty when the queue is closed and empty (or the
    /// writer failed). The worlds stay counted until ``finished(_:_:)``.
    func next(maxCount: Int) -> [Item] {
        (try? locked { () throws(TimelineError) -> [Item] in
            while failure == nil, head == items.count, !closing { wait() }
            guard failure == nil, head < items.count else { return [] }
            let batch = Array(items[head..<min(items.count, head + maxCount)])
            // The writer holds the only references from here on; the slots keep the byte counts.
            for index in head..<head + batch.count {
                items[index].world = Self.emptyWorld
                items[index].borrowed = nil
            }
            return batch
        }) ?? []
    }

    private static let emptyWorld = Snapshot(schema: Schema())

    /// The writer's side: the `count` worlds from ``next(maxCount:)`` are
    /// durable, or their commit failed.
    func finished(_ count: Int, _ error: TimelineError?) {
        try? locked { () throws(TimelineError) in
            if let error {
                failure = error
                items.removeAll()
                head = 0
                queuedBytes = 0
            } else {
                for index in head..<head + count { queuedBytes -= items[index].bytes }
                head += count
                durable += count
                // Drop what is done now and then, not on every world.
                if head > 64, head * 2 > items.count {
                    items.removeFirst(head)
                    head = 0
                }
            }
            wakeAll()
        }
    }

    /// Worlds handed over, and worlds made durable.
    var counts: (handedOver: Int, durable: Int) {
        (try? locked { () throws(TimelineError) in (handedOver, durable) }) ?? (0, 0)
    }

    /// The error that stopped the writer, if any.
    var stoppedBy: TimelineError? { (try? locked { () throws(TimelineError) in failure }) ?? nil }
}
