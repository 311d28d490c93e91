import FoundationEssentials
import PackCodec

/// How to decode PECS component bytes into fields (`--schema FILE`): one
/// line per component type name, its fields in byte order, each
/// `name:type` with type one of bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64
/// (little-endian, packed). `#` starts a comment:
///
///     Position = x:f32 y:f32 z:f32
///     Health = value:f32
public struct PECSSchema: Equatable, Sendable {
    public var components: [String: [Field]]

    static let types: [String: FieldType] = [
        "bool": .bool, "i8": .int8, "i16": .int16, "i32": .int32, "i64": .int64, "u8": .uint8, "u16": .uint16,
        "u32": .uint32, "u64": .uint64, "f32": .float32, "f64": .float64,
    ]

    /// - Throws: ``InteropError/malformed(_:)`` naming the file and line.
    public init(text: String, file: String) throws(InteropError) {
        components = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if line.allSatisfy(\.isWhitespace) { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingBlanks }
            guard parts.count == 2, !parts[0].isEmpty else { throw .malformed("\(file):\(index + 1): a line is NAME = field:type ...") }
            var fields: [Field] = []
            for item in parts[1].split(separator: " ") {
                let pair = item.split(separator: ":")
                guard pair.count == 2, let type = Self.types[String(pair[1])] else {
                    throw .malformed("\(file):\(index + 1): \"\(item)\" is not field:type (types: bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64)")
                }
                fields.append(Field(String(pair[0]), type))
            }
            components[parts[0]] = fields
        }
    }

    /// Bytes per value of `component`, or `nil` when the schema lacks it.
    func size(of component: String) -> Int? { components[component].map { $0.reduce(0) { $0 + ($1.type.width ?? 0) } } }
}
