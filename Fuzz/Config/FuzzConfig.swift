import Interop
import PackCodec
import ScopeUI
import Timeline

/// libFuzzer entry point for the text formats a user writes: the first
/// byte picks a theme file, a keys file, the config file, a query (parsed,
/// and as a filter checked and run on a small archetype of every field
/// type) or a PECS schema file. Any text must parse or give a one-line
/// error naming the line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    switch data[0] % 5 {
    case 0: _ = try? ThemeFile.parse(text, name: "fuzz", file: "fuzz.theme", colors: Int(data[0]) % 2 == 0 ? 256 : 8)
    case 1: _ = try? KeysFile.apply(text, file: "keys", to: .standard)
    case 2: _ = try? ConfigFile.parse(text, file: "config")
    case 3:
        _ = try? Query.parse(text)
        if let filter = try? FilterExpression.parse(text), (try? filter.check(against: QueryFuzzing.schema)) != nil {
            _ = try? filter.matchingRows(keys: QueryFuzzing.keys, columns: QueryFuzzing.columns, count: 4, ids: QueryFuzzing.ids)
        }
    default: _ = try? PECSSchema(text: text, file: "schema")
    }
    return 0
}

/// A small archetype with a field of every type a query reads.
enum QueryFuzzing {
    static let component = ComponentType(name: "C", fields: [
        Field("f", .float32), Field("d", .float64), Field("i", .int8), Field("u", .uint64), Field("b", .bool), Field("s", .string),
    ])
    static let schema = Schema(components: [component])
    static let keys = component.fields.map { ColumnKey(component: "C", field: $0.name) }
    static let columns = [
        Column([Float.nan, -0.0, .infinity, .leastNonzeroMagnitude]), Column([Double.greatestFiniteMagnitude, -1, 0, .nan]),
        Column([Int8.min, -1, 0, Int8.max]), Column([UInt64.max, 0, 1, 1 << 63]), Column([true, false, true, false]),
        Column(strings: ["", "é", "a\u{0}b", "zz"]),
    ]
    static let ids = [EntityID(0), EntityID(1), EntityID(UInt64.max), EntityID(7)]
}
