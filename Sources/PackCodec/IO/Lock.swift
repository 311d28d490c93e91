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

/// A value touched only under its own ``Lock``: the shape of
/// `Synchronization.Mutex`, on a pthread mutex that ThreadSanitizer sees.
///
/// ```swift
/// let progress = Locked([String]())
/// progress.withLock { $0.append("done") }
/// ```
package final class Locked<Value>: @unchecked Sendable {
    private let lock = Lock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` on the value, holding the lock.
    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try lock.withLock { try body(&value) }
    }
}
