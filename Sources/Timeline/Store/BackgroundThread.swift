import Dispatch
import Glibc
import PackCodec

/// The one thread that does work ahead of the user (``DecodeAhead``).
///
/// Work runs in the order given, and what is queued while a front end
/// holds the thread off (``holdingOff(_:)``: from a key to its frame on
/// screen) starts once that hold is released. Where the thread shares the
/// user's core (the other cores busy), a batch woken in the middle of a
/// step took that core until the next scheduler tick, so the frame waited
/// up to 4 ms for work meant for the step after it; held off, the batch
/// starts as the frame is shown, while the user reads it. Whoever needs a
/// result first does it on its own thread (or waits for the one piece
/// already started), so a slow or held queue costs time, never a deadlock.
///
/// ```swift
/// BackgroundThread.holdingOff {
///     BackgroundThread.run { decodeTheNextStep() }   // starts after the frame
///     drawTheFrame()
/// }
/// ```
enum BackgroundThread {
    /// Queues `work` to run on the thread, starting the thread the first
    /// time (where no thread can be started, the shared pool runs it).
    static func run(_ work: @escaping @Sendable () -> Void) {
        if let worker = Worker.shared { worker.enqueue(work) } else { DispatchQueue.global().async(execute: work) }
    }

    /// Runs `body` with the thread held off: work queued during it, on
    /// this thread, starts after it returns (work already running goes on;
    /// another thread's hold delays only what that thread queues). Holds
    /// nest.
    static func holdingOff<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        Worker.shared?.hold()
        defer { Worker.shared?.release() }
        return try body()
    }

    private final class Worker: Sendable {
        static let shared = Worker()

        private struct Queue {
            /// Work not started, each with the hold it was queued under.
            var work: [(hold: Int?, run: @Sendable () -> Void)] = []
            /// Each holding thread's outermost hold and how deeply it nests.
            var holders: [pthread_t: (hold: Int, depth: Int)] = [:]
            /// Holds not released yet.
            var open = Set<Int>()
            var lastHold = 0
            /// Whether the thread waits for a hold to be released.
            var waitsForRelease = false

            /// Whether the next piece of work waits for its hold.
            var mustWait: Bool { work.first?.hold.map { open.contains($0) } ?? false }
        }

        private let queue = Locked(Queue())
        /// Signalled once for each piece of work queued.
        private let queued = DispatchSemaphore(value: 0)
        /// Signalled when a hold is released while the thread waits for one.
        private let released = DispatchSemaphore(value: 0)

        func enqueue(_ work: @escaping @Sendable () -> Void) {
            queue.withLock { queue in
                let hold = queue.holders[pthread_self()]?.hold
                queue.work.append((hold, work))
            }
            queued.signal()
        }

        func hold() {
            queue.withLock { queue in
                let me = pthread_self()
                if let held = queue.holders[me] {
                    queue.holders[me] = (held.hold, held.depth + 1)
                } else {
                    queue.lastHold += 1
                    queue.holders[me] = (queue.lastHold, 1)
                    queue.open.insert(queue.lastHold)
                }
            }
        }

        func release() {
            let wake = queue.withLock { queue in
                let me = pthread_self()
                guard let held = queue.holders[me] else { return false }
                guard held.depth == 1 else {
                    queue.holders[me] = (held.hold, held.depth - 1)
                    return false
                }
                queue.holders[me] = nil
                queue.open.remove(held.hold)
                defer { queue.waitsForRelease = false }
                return queue.waitsForRelease
            }
            if wake { released.signal() }
        }

        /// Starts the thread, which keeps the worker for the life of the process.
        private init?() {
            var thread = pthread_t()
            let retained = Unmanaged.passRetained(self)
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<Worker>.fromOpaque(context!).takeUnretainedValue().loop()
            }, retained.toOpaque())
            guard started == 0 else {
                retained.release()
                return nil
            }
            pthread_detach(thread)
        }

        private func loop() -> Never {
            while true {
                queued.wait()
                while queue.withLock({ queue in
                    queue.waitsForRelease = queue.mustWait
                    return queue.waitsForRelease
                }) {
                    released.wait()
                }
                let next = queue.withLock { $0.work.removeFirst() }
                next.run()
            }
        }
    }
}
