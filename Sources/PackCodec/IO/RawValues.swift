extension UnsafeRawBufferPointer {
    /// Calls `body` with these bytes typed as `T` values: in place when
    /// aligned (column storage always is), else from an aligned copy. Loops
    /// over the typed buffer vectorize where loops of `loadUnaligned` calls
    /// with checked offsets do not.
    @inline(__always)
    func withValues<T, Result>(as _: T.Type, _ body: (UnsafeBufferPointer<T>) -> Result) -> Result {
        let count = self.count / MemoryLayout<T>.size
        if let base = baseAddress, Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 {
            return body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: count))
        }
        let copy = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: self[0..<count * MemoryLayout<T>.size]))
            initialized = count
        }
        return copy.withUnsafeBufferPointer(body)
    }
}
