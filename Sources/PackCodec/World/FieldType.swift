/// The primitive type of one field of a component.
///
/// The raw value is the type's code in the native snapshot file
/// (`docs/FORMAT.md`, "Field types"); it never changes once published.
public enum FieldType: UInt8, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// A truth value, stored as one byte, 0 or 1.
    case bool = 1
    /// A signed 8-bit integer (`i8`).
    case int8 = 2
    /// A signed 16-bit integer (`i16`).
    case int16 = 3
    /// A signed 32-bit integer (`i32`).
    case int32 = 4
    /// A signed 64-bit integer (`i64`).
    case int64 = 5
    /// An unsigned 8-bit integer (`u8`).
    case uint8 = 6
    /// An unsigned 16-bit integer (`u16`).
    case uint16 = 7
    /// An unsigned 32-bit integer (`u32`).
    case uint32 = 8
    /// An unsigned 64-bit integer (`u64`).
    case uint64 = 9
    /// An IEEE 754 binary32 number (`f32`).
    case float32 = 10
    /// An IEEE 754 binary64 number (`f64`).
    case float64 = 11
    /// UTF-8 text of any length.
    case string = 12
    /// Opaque bytes of any length.
    case bytes = 13

    /// The size of one value in bytes, or `nil` for variable-width types
    /// (`string` and `bytes`).
    public var width: Int? {
        switch self {
        case .bool, .int8, .uint8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        case .string, .bytes: nil
        }
    }

    /// Whether values are integers (signed or unsigned, any width).
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    /// Whether values are signed integers.
    public var isSignedInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: true
        default: false
        }
    }

    /// Whether values are IEEE 754 floating-point numbers.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// The short name used in documents, JSON Lines and `inspect` output:
    /// `bool`, `i8`…`i64`, `u8`…`u64`, `f32`, `f64`, `string`, `bytes`.
    public var name: String {
        switch self {
        case .bool: "bool"
        case .int8: "i8"
        case .int16: "i16"
        case .int32: "i32"
        case .int64: "i64"
        case .uint8: "u8"
        case .uint16: "u16"
        case .uint32: "u32"
        case .uint64: "u64"
        case .float32: "f32"
        case .float64: "f64"
        case .string: "string"
        case .bytes: "bytes"
        }
    }

    /// Looks a type up by its short name (see ``name``).
    public init?(name: String) {
        guard let match = FieldType.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var description: String { name }
}
