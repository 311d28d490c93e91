/// How the values of a column (or any numeric expression) are spread at
/// one checkpoint: count, NaNs, minimum, quartiles, maximum and mean, and a
/// histogram on demand. NaN is counted apart and left out of everything
/// else; infinities take part (a mean with one is infinite).
///
/// ```swift
/// let spread = Distribution([40, 40, 8, -140, .nan])
/// spread.count        // 4 (the NaN is in `nanCount`)
/// spread.median       // 24.0
/// spread.histogram(bins: 2, over: -140...40)   // [1, 3]
/// ```
public struct Distribution: Sendable, Equatable {
    /// The values other than NaN, ascending.
    public let sorted: [Double]
    /// How many values were NaN.
    public let nanCount: Int

    /// The distribution of `values`.
    public init(_ values: [Double]) {
        var finite = values.filter { !$0.isNaN }
        nanCount = values.count - finite.count
        finite.sort()
        sorted = finite
    }

    /// Values other than NaN.
    public var count: Int { sorted.count }
    /// The smallest value other than NaN, or `nil` without values.
    public var minimum: Double? { sorted.first }
    /// The largest value other than NaN, or `nil` without values.
    public var maximum: Double? { sorted.last }
    /// The arithmetic mean, or `nil` without values.
    public var mean: Double? { sorted.isEmpty ? nil : sorted.reduce(0, +) / Double(sorted.count) }
    /// The 0.5 quantile.
    public var median: Double? { quantile(0.5) }

    /// The `q` quantile (0 … 1), interpolated linearly between the two
    /// nearest ranks (numpy's default, "linear"); `nil` without values.
    public func quantile(_ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = max(0, min(1, q)) * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(sorted.count - 1, below + 1)
        let fraction = position - Double(below)
        if fraction == 0 || sorted[below] == sorted[above] { return sorted[below] }
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }

    /// How many values fall in each of `bins` equal parts of `range` (the
    /// last part includes its upper end; values outside, and infinities,
    /// are left out). A range of one value puts everything in it in the
    /// first bin.
    public func histogram(bins: Int, over range: ClosedRange<Double>) -> [Int] {
        guard bins > 0 else { return [] }
        var counts = [Int](repeating: 0, count: bins)
        let width = range.upperBound - range.lowerBound
        for value in sorted where value.isFinite && range.contains(value) {
            let bin = width > 0 && width.isFinite ? min(bins - 1, Int((value - range.lowerBound) / width * Double(bins))) : 0
            counts[bin] += 1
        }
        return counts
    }

    /// The edges of `count` equal bins over `range` (one bin when the range
    /// is a single value; the last bin ends exactly at the range's end):
    /// the bins ``histogram(bins:over:)`` counts in, for labelling them.
    public static func bins(_ count: Int, over range: ClosedRange<Double>) -> [(low: Double, high: Double)] {
        let count = range.lowerBound == range.upperBound ? 1 : max(1, count)
        let step = (range.upperBound - range.lowerBound) / Double(count)
        return (0..<count).map { index in
            let low = range.lowerBound + step * Double(index)
            return (low, index == count - 1 ? range.upperBound : low + step)
        }
    }

    /// The finite values' range, for a histogram of this and `other`
    /// together; `nil` when neither has a finite value.
    public func finiteRange(with other: Distribution? = nil) -> ClosedRange<Double>? {
        let finite = (sorted + (other?.sorted ?? [])).filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// The names of ``statistics``, in order.
    public static let statisticNames = ["count", "nan", "min", "p25", "median", "p75", "max", "mean"]

    /// count, NaNs, minimum, 25th percentile, median, 75th percentile,
    /// maximum and mean (NaN where there are no values).
    public var statistics: [Double] {
        [Double(count), Double(nanCount), minimum ?? .nan, quantile(0.25) ?? .nan, median ?? .nan, quantile(0.75) ?? .nan, maximum ?? .nan, mean ?? .nan]
    }
}
