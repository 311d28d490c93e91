import Dispatch

/// Runs `background` on another thread while `foreground` runs on this one,
/// and returns when both have finished, even when `foreground` throws.
///
/// Used to hash a block (SHA-256, about 1.8 GB/s here) while the same bytes
/// are checksummed and written: on a machine with two cores the slower of
/// the two sets the time instead of their sum. Both closures only read the
/// shared bytes, and neither outlives this call, which is what makes the
/// unchecked transfer below safe.
func concurrently(_ background: @escaping () -> Void, _ foreground: () throws(PackError) -> Void) throws(PackError) {
    let work = UncheckedTransfer(background)
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global(qos: .userInitiated).async {
        work.value()
        finished.signal()
    }
    defer { finished.wait() }
    try foreground()
}

/// Carries a value to another thread where the caller guarantees, by
/// waiting for that thread, that no data race is possible.
package struct UncheckedTransfer<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
