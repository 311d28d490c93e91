#if canImport(Glibc)
import Glibc
#endif

/// The C interface's per-thread last error (`ts_last_error`): a C string
/// owned by the thread, replaced by the next failure on that thread.
enum LastError {
    /// The key of each thread's message; made once, on first use.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    /// The message of the last failure on this thread, "" if none.
    static var current: UnsafePointer<CChar> {
        guard let stored = pthread_getspecific(key) else { return empty }
        return UnsafePointer(stored.assumingMemoryBound(to: CChar.self))
    }

    /// Sets this thread's message.
    static func set(_ message: String) {
        free(pthread_getspecific(key))
        pthread_setspecific(key, strdup(message))
    }

    nonisolated(unsafe) private static let empty: UnsafePointer<CChar> = UnsafePointer(strdup("")!)
}

/// A failed C call: its status and message.
struct CFailure: Error {
    var status: Int32
    var message: String

    static func argument(_ message: String) -> CFailure { CFailure(status: Status.argument, message: message) }
    static func state(_ message: String) -> CFailure { CFailure(status: Status.state, message: message) }
    static func store(_ message: String) -> CFailure { CFailure(status: Status.store, message: message) }
    static func notFound(_ message: String) -> CFailure { CFailure(status: Status.notFound, message: message) }
}

/// `ts_status` values (include/tickscope.h).
enum Status {
    static let ok: Int32 = 0
    static let argument: Int32 = 1
    static let store: Int32 = 2
    static let state: Int32 = 3
    static let notFound: Int32 = 4
}

/// Runs one C call's body: a failure sets the thread's message and becomes
/// its status; nothing thrown crosses the boundary.
func cCall(_ body: () throws(CFailure) -> Void) -> Int32 {
    do {
        try body()
        return Status.ok
    } catch {
        LastError.set(error.message)
        return error.status
    }
}

/// A C string argument that must not be null.
func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CFailure) -> String {
    guard let pointer else { throw .argument("\(name) is NULL") }
    return String(cString: pointer)
}
