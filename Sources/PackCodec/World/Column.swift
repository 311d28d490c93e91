#if _endian(big)
#error("Tickscope stores columns in host memory layout and requires a little-endian machine")
#endif

/// The values of one field across the entities of an archetype: a typed,
/// contiguous buffer, never an array of boxed values.
///
/// Fixed-width values (`bool`, integers, floats) live in ``storage`` in
/// little-endian order, `count × width` bytes: a million `f32` values are one
/// 4 MB buffer that the codec writes as it is. Variable-width values
/// (`string`, `bytes`) are concatenated in ``storage`` and ``ends`` holds the
/// end offset of each value.
///
/// `Column` is a value type; equality compares bytes, so NaN payloads and
/// negative zero round-trip and compare exactly.
public struct Column: Sendable, Hashable {
    /// The type of every value in the column.
    public let type: FieldType
    /// The number of values.
    public private(set) var count: Int
    /// The values' bytes (see the type's documentation for the layout).
    public private(set) var storage: [UInt8]
    /// For `string` and `bytes` columns, the end offset of each value in
    /// ``storage``; empty for fixed-width columns.
    public private(set) var ends: [Int]

    /// Creates an empty column of the given type.
    public init(type: FieldType) {
        self.type = type
        self.count = 0
        self.storage = []
        self.ends = []
    }

    /// Creates a column from parts the caller has already checked.
    init(uncheckedType type: FieldType, count: Int, storage: [UInt8], ends: [Int]) {
        self.type = type
        self.count = count
        self.storage = storage
        self.ends = ends
    }

    /// Creates a column of fixed-width values, copying their bytes once.
    public init<Value: FixedWidthColumnValue>(_ values: [Value]) {
        self.type = Value.fieldType
        self.count = values.count
        self.storage = values.withUnsafeBytes { [UInt8]($0) }
        self.ends = []
    }

    /// Creates a fixed-width column from its little-endian bytes.
    /// - Throws: ``PackError/invalidWorld(_:)`` when the byte count is not
    ///   `count × width`, or a `bool` byte is not 0 or 1.
    public init(fixedWidth type: FieldType, count: Int, storage: [UInt8]) throws(PackError) {
        guard let width = type.width, storage.count == count * width else {
            throw .invalidWorld("\(storage.count) bytes are not \(count) values of \(type)")
        }
        if type == .bool, storage.contains(where: { $0 > 1 }) { throw .invalidWorld("a bool byte is not 0 or 1") }
        self.init(uncheckedType: type, count: count, storage: storage, ends: [])
    }

    /// Creates a `string` column.
    public init(strings: [String]) {
        self.init(type: .string)
        for value in strings { appendVariable(Array(value.utf8)) }
    }

    /// Creates a `bytes` column.
    public init(byteStrings: [[UInt8]]) {
        self.init(type: .bytes)
        for value in byteStrings { appendVariable(value) }
    }

    /// The values of a fixed-width column as a Swift array.
    /// - Precondition: `Value.fieldType == type`.
    public func values<Value: FixedWidthColumnValue>(as _: Value.Type = Value.self) -> [Value] {
        precondition(Value.fieldType == type, "column holds \(type), not \(Value.fieldType)")
        return [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            storage.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            initialized = count
        }
    }

    /// The raw bytes of value `index` of a `string` or `bytes` column.
    public func variableBytes(at index: Int) -> ArraySlice<UInt8> {
        precondition(type.width == nil, "column of \(type) has fixed-width values")
        let start = index == 0 ? 0 : ends[index - 1]
        return storage[start..<ends[index]]
    }

    /// Appends one value of a `string` or `bytes` column.
    mutating func appendVariable(_ bytes: some Collection<UInt8>) {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
        count += 1
    }

    /// Appends the little-endian bytes of one fixed-width value.
    mutating func appendFixed<Value: FixedWidthColumnValue>(_ value: Value) {
        precondition(Value.fieldType == type)
        withUnsafeBytes(of: value) { storage.append(contentsOf: $0) }
        count += 1
    }

    /// Reserves room for `count` more fixed-width values.
    public mutating func reserveCapacity(_ count: Int) {
        if let width = type.width { storage.reserveCapacity(storage.count + count * width) }
    }
}

/// A Swift type whose values a fixed-width ``Column`` holds directly.
public protocol FixedWidthColumnValue: Sendable {
    /// The field type that stores values of this Swift type.
    static var fieldType: FieldType { get }
}

extension Bool: FixedWidthColumnValue { public static var fieldType: FieldType { .bool } }
extension Int8: FixedWidthColumnValue { public static var fieldType: FieldType { .int8 } }
extension Int16: FixedWidthColumnValue { public static var fieldType: FieldType { .int16 } }
extension Int32: FixedWidthColumnValue { public static var fieldType: FieldType { .int32 } }
extension Int64: FixedWidthColumnValue { public static var fieldType: FieldType { .int64 } }
extension UInt8: FixedWidthColumnValue { public static var fieldType: FieldType { .uint8 } }
extension UInt16: FixedWidthColumnValue { public static var fieldType: FieldType { .uint16 } }
extension UInt32: FixedWidthColumnValue { public static var fieldType: FieldType { .uint32 } }
extension UInt64: FixedWidthColumnValue { public static var fieldType: FieldType { .uint64 } }
extension Float: FixedWidthColumnValue { public static var fieldType: FieldType { .float32 } }
extension Double: FixedWidthColumnValue { public static var fieldType: FieldType { .float64 } }
