/// One value of a field, for code that handles any type: the inspector,
/// JSON Lines, diffs. Bulk data stays in ``Column``.
///
/// Floating-point values compare by bit pattern, so `NaN == NaN` holds when
/// the payloads are equal and `0.0 != -0.0`.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    /// A `bool` value.
    case bool(Bool)
    /// Any signed integer, widened.
    case int(Int64)
    /// Any unsigned integer, widened.
    case uint(UInt64)
    /// An `f32` value.
    case float32(Float)
    /// An `f64` value.
    case float64(Double)
    /// A `string` value.
    case string(String)
    /// A `bytes` value.
    case bytes([UInt8])

    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.uint(a), .uint(b)): a == b
        case let (.float32(a), .float32(b)): a.bitPattern == b.bitPattern
        case let (.float64(a), .float64(b)): a.bitPattern == b.bitPattern
        case let (.string(a), .string(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .bool(let v): hasher.combine(0); hasher.combine(v)
        case .int(let v): hasher.combine(1); hasher.combine(v)
        case .uint(let v): hasher.combine(2); hasher.combine(v)
        case .float32(let v): hasher.combine(3); hasher.combine(v.bitPattern)
        case .float64(let v): hasher.combine(4); hasher.combine(v.bitPattern)
        case .string(let v): hasher.combine(5); hasher.combine(v)
        case .bytes(let v): hasher.combine(6); hasher.combine(v)
        }
    }

    /// The value as a person reads it: shortest round-trip decimal for
    /// floats, hex for bytes.
    public var description: String {
        switch self {
        case .bool(let v): String(v)
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float32(let v): v.description
        case .float64(let v): v.description
        case .string(let v): v
        case .bytes(let v): v.hexString
        }
    }
}
