import Dispatch
import PackCodec

/// Independent pieces of one piece of work run on all cores while the
/// calling thread waits: hashing a world's new columns for a save,
/// comparing a step's changed columns.
enum AllCores {
    /// `body(0) ... body(count - 1)`, computed on all cores; each call reads
    /// only values that nobody changes meanwhile.
    static func map<Result>(_ count: Int, _ body: (Int) -> Result) -> [Result] {
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
