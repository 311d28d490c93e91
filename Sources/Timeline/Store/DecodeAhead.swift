import Dispatch
import PackCodec
import Synchronization

/// Columns decoded on a thread of their own before anybody asks for them:
/// a session whose next steps will cross a delta chain's start (and so
/// decode a full block, or a whole chain for the diff) starts them while
/// the user looks at this step, and those steps then find them done, or
/// decode what is left beside the background thread.
///
/// One batch, decoded one column after another on one background thread,
/// so the reader's own thread keeps its core; the reader takes columns out
/// as it needs them. A class: that thread and the reader share it.
final class DecodeAhead: Sendable {
    /// Where a batch stands; both threads change it under the lock.
    private struct Progress {
        /// The next block of the batch nobody has started.
        var next = 0
        /// How to decode one; let go once every block is started (it holds
        /// the delta bases).
        var decode: (@Sendable (BlockRef) -> Column?)?
        /// The blocks not taken yet.
        var held: [ContentHash: BlockRef]
        /// What has been decoded of them (a block that failed is left out:
        /// the normal read reports it).
        var decoded: [ContentHash: Column]
    }

    private let batch: [BlockRef]
    private let state: Mutex<Progress>
    private let done = DispatchGroup()

    /// Starts decoding `refs` with `decode` on a background thread, and
    /// holds `carried` (decoded already) beside them.
    init(_ refs: [BlockRef], carrying carried: [ContentHash: (ref: BlockRef, column: Column)], decode: @escaping @Sendable (BlockRef) -> Column?) {
        var held = carried.mapValues(\.ref)
        for ref in refs { held[ref.contentHash] = ref }
        batch = refs
        state = Mutex(Progress(decode: decode, held: held, decoded: carried.mapValues(\.column)))
        done.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            work()
            done.leave()
        }
    }

    /// Takes blocks of the batch one at a time until none is left.
    private func work() {
        while true {
            let (index, decode) = state.withLock { state in
                let claimed = (state.next, state.decode)
                state.next += 1
                // Every block is started: let go of the bases the closure holds.
                if state.next >= batch.count { state.decode = nil }
                return claimed
            }
            guard index < batch.count, let decode else { return }
            let ref = batch[index]
            guard let column = decode(ref) else { continue }
            state.withLock { $0.decoded[ref.contentHash] = column }
        }
    }

    /// Whether every block has been decoded (or failed).
    var isFinished: Bool { done.wait(timeout: .now()) == .success }

    /// Whether block `hash` is in the batch and not taken yet.
    func holds(_ hash: ContentHash) -> Bool { state.withLock { $0.held[hash] != nil } }

    /// Whether every block has been taken.
    var isEmpty: Bool { state.withLock { $0.held.isEmpty } }

    /// Decodes what the background thread has not started, beside it,
    /// waits for it, and hands over the blocks of `hashes` it holds,
    /// decoded (those that failed are left out).
    func take(_ hashes: Set<ContentHash>) -> [(ref: BlockRef, column: Column)] {
        work()
        done.wait()
        return state.withLock { state in
            var taken: [(ref: BlockRef, column: Column)] = []
            for hash in hashes {
                guard let ref = state.held.removeValue(forKey: hash) else { continue }
                if let column = state.decoded.removeValue(forKey: hash) { taken.append((ref, column)) }
            }
            return taken
        }
    }

    /// Waits for the background thread, then hands over every block not
    /// taken yet that it decoded.
    func remaining() -> [ContentHash: (ref: BlockRef, column: Column)] {
        done.wait()
        return state.withLock { state in
            var left: [ContentHash: (ref: BlockRef, column: Column)] = [:]
            for (hash, column) in state.decoded { if let ref = state.held[hash] { left[hash] = (ref, column) } }
            return left
        }
    }
}
