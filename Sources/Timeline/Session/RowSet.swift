/// A set of table rows as one bit per row: what changed, what matches a
/// filter. A million rows take 128 KB, and a membership test while drawing
/// is one load.
public struct RowSet: Sendable, Equatable {
    /// Rows this set can hold (`0..<capacity`).
    public let capacity: Int
    private(set) var words: [UInt64]

    /// An empty set for rows `0..<capacity`.
    public init(capacity: Int) {
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    /// The set of `rows` (in any order) for rows `0..<limit` of
    /// `0..<capacity`: rows at or past `limit` (`capacity` by default) are
    /// left out. One pass with no per-row copy-on-write check, for the row
    /// lists of delta records (a tenth of a million rows a step).
    init(capacity: Int, rows: [UInt32], below limit: Int? = nil) {
        self.init(capacity: capacity)
        let limit = UInt32(clamping: min(limit ?? capacity, capacity))
        words.withUnsafeMutableBufferPointer { words in
            for row in rows where row < limit { words[Int(row >> 6)] |= 1 << UInt64(row & 63) }
        }
    }

    /// Every row of `0..<capacity`.
    public static func all(_ capacity: Int) -> RowSet {
        var set = RowSet(capacity: capacity)
        for index in set.words.indices { set.words[index] = ~0 }
        if capacity % 64 != 0, !set.words.isEmpty { set.words[set.words.count - 1] = (1 << UInt64(capacity % 64)) - 1 }
        return set
    }

    /// Adds `row` (in `0..<capacity`).
    public mutating func insert(_ row: Int) { words[row >> 6] |= 1 << UInt64(row & 63) }

    /// Whether `row` is in the set (`false` outside `0..<capacity`).
    public func contains(_ row: Int) -> Bool {
        row >= 0 && row < capacity && words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// The number of rows in the set.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether no row is in the set.
    public var isEmpty: Bool { !words.contains { $0 != 0 } }

    /// The first row after `row` in the set (from the start with `-1`).
    public func next(after row: Int) -> Int? {
        var index = row + 1
        guard index >= 0 else { return next(after: -1) }
        while index < capacity {
            let word = words[index >> 6] >> UInt64(index & 63)
            if word != 0 { return index + word.trailingZeroBitCount }
            index = (index | 63) + 1
        }
        return nil
    }

    /// The last row before `row` in the set.
    public func previous(before row: Int) -> Int? {
        var index = min(row, capacity) - 1
        while index >= 0 {
            let word = words[index >> 6] << UInt64(63 - index & 63)
            if word != 0 { return index - word.leadingZeroBitCount }
            index = (index & ~63) - 1
        }
        return nil
    }

    /// Calls `body` with each row, ascending, without making a list.
    func forEachRow(_ body: (Int) -> Void) {
        words.withUnsafeBufferPointer { words in
            for (index, var word) in words.enumerated() {
                while word != 0 {
                    body(index << 6 + word.trailingZeroBitCount)
                    word &= word - 1
                }
            }
        }
    }

    /// The rows, ascending.
    public var rows: [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        for (index, var word) in words.enumerated() {
            while word != 0 {
                result.append(index << 6 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
        return result
    }

    /// Adds the rows of `other`.
    public mutating func formUnion(_ other: RowSet) {
        for index in words.indices where index < other.words.count { words[index] |= other.words[index] }
    }

    /// Keeps only the rows also in `other`.
    public mutating func formIntersection(_ other: RowSet) {
        for index in words.indices { words[index] &= index < other.words.count ? other.words[index] : 0 }
    }

    /// Sets the bits of 64 rows starting at `first` (a multiple of 64).
    mutating func setWord(at first: Int, _ bits: UInt64) { words[first >> 6] = bits }
}
