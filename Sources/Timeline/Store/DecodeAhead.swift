import Dispatch
import PackCodec
import Synchronization

/// Columns decoded on a thread of their own before anybody asks for them:
/// a session whose next step will cross a delta chain's start (and so
/// decode a full block, or a whole chain for the diff) starts them while
/// the user looks at this step, and the step then finds them done, or
/// decodes what is left beside the background thread.
///
/// One batch, decoded one column after another on one background thread,
/// so the reader's own thread keeps its core. A class: that thread and the
/// reader share it.
final class DecodeAhead: Sendable {
    /// The blocks asked for, by content hash.
    let refs: [ContentHash: BlockRef]
    private let batch: [BlockRef]
    private let decode: @Sendable (BlockRef) -> Column?
    /// The next block of `batch` nobody has taken yet, and what has been
    /// decoded so far (a block that failed is left out: the normal read
    /// reports it).
    private let state = Mutex<(next: Int, decoded: [ContentHash: Column])>((0, [:]))
    private let done = DispatchGroup()

    /// Starts decoding `refs` with `decode` on a background thread.
    init(_ refs: [BlockRef], decode: @escaping @Sendable (BlockRef) -> Column?) {
        self.refs = Dictionary(refs.map { ($0.contentHash, $0) }, uniquingKeysWith: { first, _ in first })
        batch = Array(self.refs.values)
        self.decode = decode
        done.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            work()
            done.leave()
        }
    }

    /// Takes blocks of the batch one at a time until none is left.
    private func work() {
        while true {
            let index = state.withLock { state in
                defer { state.next += 1 }
                return state.next
            }
            guard index < batch.count else { return }
            let ref = batch[index]
            guard let column = decode(ref) else { continue }
            state.withLock { $0.decoded[ref.contentHash] = column }
        }
    }

    /// Whether every block has been decoded (or failed).
    var isFinished: Bool { done.wait(timeout: .now()) == .success }

    /// Decodes what the background thread has not started, beside it, then
    /// waits for it and hands over everything decoded.
    func finish() -> [ContentHash: Column] {
        work()
        done.wait()
        return state.withLock { $0.decoded }
    }
}
