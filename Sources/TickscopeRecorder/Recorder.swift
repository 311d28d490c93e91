import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// Records a simulation into a checkpoint store from inside the simulation's
/// own program (docs/RECORDING.md).
///
/// The simulation thread only hands worlds over; a writer thread of the
/// recorder hashes, deduplicates, compresses, appends and syncs them, in
/// order, one commit each. The hand-over queue is bounded in bytes: when it
/// is full, ``record(_:info:)`` waits (back-pressure) instead of growing
/// without limit. ``flush()`` returns when everything handed over is
/// durable: a checkpoint covered by a returned `flush()` survives `kill -9`
/// and power loss.
///
/// ```swift
/// let recorder = try Recorder(store: "runs/mine")
/// for tick in 0..<1000 {
///     world.step()
///     try recorder.record(world.snapshot(tick: tick))
/// }
/// try recorder.close()   // flushes first
/// ```
///
/// A class: it owns the store's writer lock and the writer thread. Its
/// methods may be called from one thread at a time.
public final class Recorder {
    /// How a recorder commits.
    public struct Options: Sendable {
        /// The most bytes of worlds that may wait for the writer (the sum
        /// of their columns' sizes); `record` waits while more would.
        public var queueLimitBytes: Int
        /// How each column is compressed.
        public var writeOptions: WriteOptions

        /// - Parameter queueLimitBytes: 256 MiB by default.
        public init(queueLimitBytes: Int = 256 << 20, writeOptions: WriteOptions = WriteOptions(codec: .zstd(level: 1))) {
            self.queueLimitBytes = queueLimitBytes
            self.writeOptions = writeOptions
        }
    }

    /// The store's directory.
    public let path: String
    /// The branch every world is recorded on.
    public let branch: String
    private let queue: CommitQueue
    private var writer: pthread_t?
    /// The last world handed over on loan: its loan ends when the next
    /// hand-over, `flush()` or `close()` returns.
    private var lent: BorrowedWorld?
    /// Buffers of committed worlds, for building the next ones without
    /// fresh allocations: take from it, fill, and hand the world over.
    public let buffers = BufferPool()

    /// Opens the store at `path` for writing (creating it when the folder is
    /// missing or empty; encrypted from the start when `key` is given) and
    /// starts the writer.
    /// - Parameters:
    ///   - branch: the branch to record on: `main` by default; an existing
    ///     branch (a fork made in the debugger, say) is carried on after its
    ///     last checkpoint, a new name starts a new root branch.
    /// - Throws: ``TimelineError`` when the store cannot be opened for
    ///   writing (another writer holds it, a damaged store, a wrong key), or
    ///   the branch name is not valid.
    public init(store path: String, branch: String = CheckpointStore.mainBranch, key: EncryptionKey? = nil, options: Options = Options()) throws(TimelineError) {
        try BranchName.validate(branch)
        let store = try CheckpointStore.openForWriting(path, key: key)
        self.path = path
        self.branch = branch
        queue = CommitQueue(limit: options.queueLimitBytes)
        let context = WriterContext(store: store, queue: queue, branch: branch, options: options.writeOptions, buffers: buffers)
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<WriterContext>.fromOpaque(raw!).takeRetainedValue()
            context.run()
            return nil
        }, Unmanaged.passRetained(context).toOpaque())
        guard started == 0 else {
            throw .invalidRequest("\(path): cannot start the recorder's writer thread (\(String(cString: strerror(started))))")
        }
        writer = thread
    }

    deinit { try? close() }

    /// Hands one world over to be committed as the next checkpoint of the
    /// branch. Returns as soon as it is queued; waits first while the queue
    /// holds more than its limit.
    /// - Throws: ``TimelineError`` when the writer has stopped on an error
    ///   (it is reported by every later call), or the recorder is closed.
    public func record(_ world: Snapshot, info: CheckpointInfo = CheckpointInfo()) throws(TimelineError) {
        guard writer != nil else { throw .invalidRequest("\(path): the recorder is closed") }
        endLoan()
        try queue.push(.init(world: world, info: info, bytes: Self.size(of: world)))
    }

    /// Hands over a world whose values are still in the caller's memory
    /// (``BorrowedWorld``): the writer builds it when it takes it from the
    /// queue. The memory must stay unchanged until the next `record`,
    /// `flush()` or `close()` returns; any of them builds the world first
    /// if the writer has not (copying on this thread, as `record` of a
    /// snapshot would have).
    /// - Throws: as ``record(_:info:)``; the world is then not recorded,
    ///   and its memory is not read after this returns.
    public func record(_ world: BorrowedWorld, info: CheckpointInfo = CheckpointInfo()) throws(TimelineError) {
        guard writer != nil else { throw .invalidRequest("\(path): the recorder is closed") }
        endLoan()
        try queue.push(.init(world: Self.unbuilt, borrowed: world, info: info, bytes: world.bytes))
        lent = world
    }

    private static let unbuilt = Snapshot(schema: Schema())

    /// Ends the loan of the last borrowed world: built by now, by the
    /// writer or here.
    private func endLoan() {
        // A world that fails to build is reported by the writer, which stops on it.
        if let world = lent.take() { _ = try? world.settle() }
    }

    /// Waits until every world handed over so far is durable.
    /// - Throws: the error that stopped the writer, if it stopped.
    public func flush() throws(TimelineError) {
        endLoan()
        try queue.waitUntilDurable()
    }

    /// Flushes, stops the writer and releases the store. Calling it again
    /// does nothing.
    /// - Throws: the error that stopped the writer, if it stopped (what was
    ///   durable before it stays durable).
    public func close() throws(TimelineError) {
        guard let thread = writer else { return }
        endLoan()
        writer = nil
        queue.close()
        pthread_join(thread, nil)
        if let failure = queue.stoppedBy { throw failure }
    }

    /// How many worlds were handed over, and how many of them are durable.
    public var progress: (handedOver: Int, durable: Int) { queue.counts }

    /// The bytes a world's columns hold: what it costs the queue.
    static func size(of world: Snapshot) -> Int {
        world.archetypes.reduce(0) { sum, archetype in
            archetype.columns.reduce(sum + archetype.entities.count * 8) { $0 + $1.storage.count + $1.ends.count * 8 }
        }
    }
}

/// What the writer thread works with; it owns the store from then on.
private final class WriterContext: @unchecked Sendable {
    let store: CheckpointStore
    let queue: CommitQueue
    let branch: String
    let options: WriteOptions
    let buffers: BufferPool

    init(store: CheckpointStore, queue: CommitQueue, branch: String, options: WriteOptions, buffers: BufferPool) {
        self.store = store
        self.queue = queue
        self.branch = branch
        self.options = options
        self.buffers = buffers
    }

    /// Commits queued worlds in order until the queue closes or a commit
    /// fails. Worlds that wait together are committed together, as one
    /// commit (group commit: one round of syncs for all of them), so a
    /// writer that falls behind catches up. A world's buffers are recycled
    /// once the store no longer keeps it as the base of its deltas: the
    /// last world of a batch one batch later.
    func run() {
        var previous: Snapshot?
        while true {
            var batch = queue.next(maxCount: 64)
            guard !batch.isEmpty else { return }
            var unbuilt: TimelineError?
            for index in batch.indices {
                guard let borrowed = batch[index].borrowed.take() else { continue }
                do { batch[index].world = try borrowed.settle() } catch {
                    // The worlds before it are committed; it and those after are not.
                    unbuilt = error
                    batch.removeSubrange(index...)
                    break
                }
            }
            if batch.isEmpty, let unbuilt { return queue.finished(1, unbuilt) }
            do {
                try store.commit(count: batch.count, branch: branch, options: options) { (batch[$0].world, batch[$0].info) }
                queue.finished(batch.count, nil)
            } catch {
                // A batch commits all or nothing: commit the worlds before the one that fails on their own.
                for item in batch {
                    do throws(TimelineError) {
                        try store.commit(item.world, branch: branch, info: item.info, options: options)
                        queue.finished(1, nil)
                    } catch {
                        queue.finished(1, error)
                        return
                    }
                }
            }
            if let unbuilt { return queue.finished(1, unbuilt) }
            if let done = previous.take() { buffers.recycle(done) }
            previous = batch.removeLast().world
            // Popped, so the pool gets the only reference to each buffer.
            while let item = batch.popLast() { buffers.recycle(item.world) }
        }
    }
}
