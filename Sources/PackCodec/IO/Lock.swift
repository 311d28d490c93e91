#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex, for the few small lists threads share (buffers kept
/// for reuse, rows a decode kept for the step that asked for it). A
/// pthread mutex rather than `Synchronization.Mutex`: ThreadSanitizer sees
/// its ordering, so the tests run under it report real races only.
///
/// ```swift
/// let lock = Lock()
/// lock.withLock { spare.append(buffer) }
/// ```
package final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    package init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
