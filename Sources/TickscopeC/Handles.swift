#if canImport(Glibc)
import Glibc
#endif

/// The handles the C interface has given out and not yet closed, so that a
/// closed or foreign pointer is an error instead of a crash. A handle is an
/// object retained while it is live; what C holds is a serial number in
/// pointer's clothing, never an address, and never given out twice: a
/// closed handle used by mistake is refused instead of reaching whatever
/// object the allocator later put at the same address (a stale recorder
/// handle must not record into another store).
enum Handles {
    nonisolated(unsafe) private static var live: [UnsafeMutableRawPointer: AnyObject] = [:]
    nonisolated(unsafe) private static var lastSerial: UInt = 0
    nonisolated(unsafe) private static var mutex: pthread_mutex_t = {
        var mutex = pthread_mutex_t()
        pthread_mutex_init(&mutex, nil)
        return mutex
    }()

    private static func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    /// Gives out a handle for `object`.
    static func open(_ object: AnyObject) -> UnsafeMutableRawPointer {
        locked {
            // Multiples of 16 from 4 KiB: never NULL, and they look like no
            // object of this process to a debugger.
            lastSerial += 1
            let pointer = UnsafeMutableRawPointer(bitPattern: 0x1000 + lastSerial << 4)!
            live[pointer] = object
            return pointer
        }
    }

    /// The object behind a live handle of type `T`.
    static func get<T: AnyObject>(_ pointer: UnsafeRawPointer?, as type: T.Type, _ name: String) throws(CFailure) -> T {
        guard let pointer else { throw .argument("the \(name) handle is NULL") }
        guard let object = locked({ live[UnsafeMutableRawPointer(mutating: pointer)] }) as? T else {
            throw .state("the \(name) handle is closed or is not a \(name)")
        }
        return object
    }

    /// Takes a handle back; the object goes when nothing else holds it.
    static func close(_ pointer: UnsafeRawPointer) {
        _ = locked { live.removeValue(forKey: UnsafeMutableRawPointer(mutating: pointer)) }
    }
}
