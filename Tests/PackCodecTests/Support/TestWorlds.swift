@testable import PackCodec

/// Small worlds that exercise every part of the model.
enum TestWorlds {
    /// Every field type, two archetypes, multi-byte UTF-8, NaN payloads,
    /// infinities, negative zero and integer extremes.
    static var everyType: Snapshot {
        let kinds = ComponentType(name: "Kinds", version: 3, fields: [
            Field("flag", .bool), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
            Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
            Field("f32", .float32), Field("f64", .float64), Field("text", .string), Field("blob", .bytes),
        ])
        let tag = ComponentType(name: "Tag", fields: [Field("label", .string)])
        let schema = Schema(components: [kinds, tag])
        let kindsColumns = [
            Column([true, false, true]),
            Column([Int8.min, -1, Int8.max]),
            Column([Int16.min, 0, Int16.max]),
            Column([Int32.min, 7, Int32.max]),
            Column([Int64.min, -42, Int64.max]),
            Column([UInt8(0), 128, UInt8.max]),
            Column([UInt16(0), 1, UInt16.max]),
            Column([UInt32(0), 99, UInt32.max]),
            Column([UInt64(0), 1 << 53 + 1, UInt64.max]),
            Column([Float(bitPattern: 0x7FC0_0001), -Float.infinity, -0.0]),
            Column([Double.infinity, Double(bitPattern: 0xFFF8_0000_0000_00FF), 0.1]),
            Column(strings: ["", "größe", "日本語 🦀"]),
            Column(byteStrings: [[], [0, 255, 10], Array(repeating: 7, count: 300)]),
        ]
        let archetypes = [
            Archetype(components: [kinds], entities: [EntityID(10), EntityID(3), EntityID(1 << 40)], columns: kindsColumns),
            Archetype(components: [kinds, tag], entities: [EntityID(5)], columns: kindsColumns.map { $0.prefix(1) } + [Column(strings: ["ünïcödé"])]),
            Archetype(components: [tag], entities: [], columns: [Column(strings: [])]),
        ]
        return Snapshot(
            schema: schema, archetypes: archetypes,
            resources: Resources(tick: 4_000, worldTime: 66.5, seed: 42, custom: ["map": "forest", "b": "2"]),
            metadata: ["recorded-by": "tests", "note": "ünïcödé"])
    }

    /// A world with nothing in it.
    static var empty: Snapshot { Snapshot(schema: Schema()) }
}

extension Column {
    /// The first `count` values, for building small test worlds.
    func prefix(_ count: Int) -> Column {
        var copy = Column(type: type)
        for row in 0..<count { try! copy.append(value(at: row)) }
        return copy
    }
}
