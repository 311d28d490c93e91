import Dispatch

/// Runs `background` on another thread while `foreground` runs on this one,
/// and returns `background`'s result when both have finished, even when
/// `foreground` throws.
///
/// Used to hash a block (format 1's SHA-256) or take its statistics while
/// the same bytes are encoded, checksummed and written: on a machine with
/// two cores the slower of the two sets the time instead of their sum. Both
/// closures only read the shared bytes, and neither outlives this call,
/// which is what makes the unchecked transfers below safe.
@discardableResult
func concurrently<Result>(_ background: @escaping () -> Result, _ foreground: () throws(PackError) -> Void) throws(PackError) -> Result {
    let work = UncheckedTransfer(background)
    let slot = UncheckedTransfer(UnsafeMutablePointer<Result?>.allocate(capacity: 1))
    slot.value.initialize(to: nil)
    defer {
        slot.value.deinitialize(count: 1)
        slot.value.deallocate()
    }
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global(qos: .userInitiated).async {
        slot.value.pointee = work.value()
        finished.signal()
    }
    do {
        try foreground()
    } catch {
        finished.wait()
        throw error
    }
    finished.wait()
    return slot.value.pointee!
}

/// Carries a value to another thread where the caller guarantees, by
/// waiting for that thread, that no data race is possible.
package struct UncheckedTransfer<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
