import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// A world handed over while its values are still in the caller's memory:
/// the caller lends its arrays instead of having them copied on its own
/// thread, and the world is built from them (copied once, into pooled
/// buffers) by whichever thread gets to it first: the recorder's writer when
/// it takes the world from the queue, or the caller's next hand-over,
/// `flush()` or `close()`, which end the loan.
///
/// So a simulation that keeps two sets of arrays (computing the next tick
/// into one while the other is lent) spends no time copying when the writer
/// keeps up, and no longer than a copy when it does not. How the world is
/// built is the lender's business (the C interface's frames, say): `build`
/// reads the lent memory and returns the world, and runs exactly once.
///
/// ```swift
/// let lent = BorrowedWorld(bytes: values.count * 4) { world(reading: values) }
/// try recorder.record(lent)    // returns without reading `values`
/// try recorder.record(next)    // `values` may change from here on
/// ```
///
/// A class: the caller's thread and the writer share one instance, and the
/// build runs under its mutex (`@unchecked Sendable` for that reason).
public final class BorrowedWorld: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var build: (() throws(TimelineError) -> Snapshot)?
    private var built: Result<Snapshot, TimelineError>?
    /// What the world costs the queue: the bytes its columns will hold.
    public let bytes: Int

    /// - Parameters:
    ///   - bytes: the bytes of the world's columns and ids once built.
    ///   - build: reads the lent memory and returns the world, which must
    ///     keep the model's rules (``Snapshot/validate()``): check what can
    ///     be checked before lending, because the writer commits what it
    ///     returns. An error it throws stops the recorder, as a failed
    ///     commit does.
    public init(bytes: Int, build: @escaping () throws(TimelineError) -> Snapshot) {
        self.bytes = bytes
        self.build = build
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The world, built now unless it was built already (waiting while the
    /// other thread builds it). After the first call returns, the lent
    /// memory is never read again.
    /// - Throws: what `build` threw, on every call.
    public func settle() throws(TimelineError) -> Snapshot {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let build {
            self.build = nil
            do { built = .success(try build()) } catch { built = .failure(error) }
        }
        return try built!.get()
    }

    /// Whether the world has been built, so the loan is over.
    public var isSettled: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return build == nil
    }
}
