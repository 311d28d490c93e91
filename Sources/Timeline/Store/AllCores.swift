import Dispatch
import PackCodec

/// Independent pieces of one piece of work run on all cores while the
/// calling thread waits: hashing a world's new columns for a save,
/// comparing a step's changed columns.
enum AllCores {
    /// `body(0) ... body(count - 1)`, computed on all cores; each call reads
    /// only values that nobody changes meanwhile. With `inParallel` false
    /// (work too small to pay for waking a thread), one after another here.
    static func map<Result>(_ count: Int, inParallel: Bool = true, _ body: (Int) -> Result) -> [Result] {
        guard inParallel, count > 1 else { return (0..<count).map(body) }
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedTransfer((slots, body))
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    let (slots, body) = shared.value
                    slots[index] = body(index)
                }
            }
        }
        return results.map { $0! }
    }
}
