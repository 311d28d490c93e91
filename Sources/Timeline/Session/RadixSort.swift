/// A stable least-significant-digit radix sort: the table's sort of a
/// column, where a comparison sort makes about twenty passes over a
/// million rows and this makes one pass a digit.
enum RadixSort {
    /// Sorts `values` by `key(value)`, keeping the order of values with
    /// equal keys. `digits` are the key's bits to sort by, least
    /// significant first, each a shift and a width (at most 16 bits):
    /// one pass counts every digit, then one pass moves the values for
    /// each digit that they do not all share.
    ///
    /// ```swift
    /// var rows: [UInt64] = [2 << 32 | 0, 1 << 32 | 1, 2 << 32 | 2]   // key above row
    /// RadixSort.sort(&rows, digits: [(32, 11), (43, 11), (54, 10)]) { $0 }
    /// // rows are 1 << 32 | 1, 2 << 32 | 0, 2 << 32 | 2
    /// ```
    @inline(__always)
    static func sort<Element>(_ values: inout [Element], digits: [(shift: UInt64, bits: Int)], key: (Element) -> UInt64) {
        guard values.count > 1, let first = values.first else { return }
        // Each digit's histogram, one after another, a slot more than its buckets.
        let offsets = digits.reduce(into: [0]) { $0.append($0.last! + (1 << $1.bits) + 1) }
        var counts = [Int](repeating: 0, count: offsets.last!)
        counts.withUnsafeMutableBufferPointer { counts in
            values.withUnsafeBufferPointer { values in
                for value in values {
                    let bits = key(value)
                    for (index, digit) in digits.enumerated() {
                        counts[offsets[index] + Int(truncatingIfNeeded: bits >> digit.shift) & ((1 << digit.bits) - 1) + 1] += 1
                    }
                }
            }
        }
        var scratch = [Element](repeating: first, count: values.count)
        for (index, digit) in digits.enumerated() {
            // Where each bucket starts; a digit every value shares moves nothing.
            var starts = Array(counts[offsets[index]..<offsets[index + 1]])
            if starts.contains(values.count) { continue }
            for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
            let mask = (1 << digit.bits) - 1
            values.withUnsafeBufferPointer { values in
                scratch.withUnsafeMutableBufferPointer { sorted in
                    starts.withUnsafeMutableBufferPointer { starts in
                        for value in values {
                            let bucket = Int(truncatingIfNeeded: key(value) >> digit.shift) & mask
                            sorted[starts[bucket]] = value
                            starts[bucket] += 1
                        }
                    }
                }
            }
            swap(&values, &scratch)
        }
    }
}
