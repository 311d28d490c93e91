extension Array where Element == UInt8 {
    /// Sets the count to `count`, keeping the capacity: grows by appending
    /// zeros, shrinks by dropping the tail. Reused encode buffers stay warm
    /// instead of being reallocated (and page-faulted) for every block.
    mutating func resize(to count: Int) {
        if self.count < count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        } else if self.count > count {
            removeLast(self.count - count)
        }
    }
}
