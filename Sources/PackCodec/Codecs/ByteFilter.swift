/// A reversible transform applied to a column's bytes before compression.
public enum ByteFilter: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No transform.
    case none = 0
    /// ``ByteShuffle``: for 2-, 4- and 8-byte numbers.
    case shuffle = 1
    /// ``DeltaVarint``: for integer columns such as entity ids and ticks.
    case deltaVarint = 2
    /// ``FixedPoint``: `f32` and `f64` columns whose values are all whole
    /// multiples of one power of two (format 3 and store 1.6). A writer
    /// chooses it for a float column when the values allow it, instead of
    /// shuffle.
    case fixedPoint = 3

    /// Whether the filter can transform a column of `type`.
    public func applies(to type: FieldType) -> Bool {
        switch self {
        case .none: true
        case .shuffle: (type.width ?? 0) >= 2
        case .deltaVarint: type.isInteger
        case .fixedPoint: type == .float32 || type == .float64
        }
    }

    /// `none`, `shuffle`, `delta-varint` or `fixed-point`.
    public var description: String {
        switch self {
        case .none: "none"
        case .shuffle: "shuffle"
        case .deltaVarint: "delta-varint"
        case .fixedPoint: "fixed-point"
        }
    }
}
