import PackCodec
import Testing
import Timeline

@Suite struct FilterExpressionTests {
    static let keys = [ColumnKey(component: "H", field: "v"), ColumnKey(component: "N", field: "s"), ColumnKey(component: "B", field: "ok")]
    static let columns = [
        Column([Float(-1), 0, 5, .nan, 12]),
        Column(strings: ["a", "b", "c", "d", "e"]),
        Column([true, false, true, true, false]),
    ]

    static func rows(_ text: String) throws -> [Int] {
        try FilterExpression.parse(text).matchingRows(keys: keys, columns: columns, count: 5)
    }

    @Test("comparisons, && over ||, strings, booleans, and NaN matching only !=")
    func evaluation() throws {
        #expect(try Self.rows("H.v < 0") == [0])
        #expect(try Self.rows("H.v >= 0") == [1, 2, 4])
        #expect(try Self.rows("H.v != 5") == [0, 1, 3, 4])
        #expect(try Self.rows("H.v > 0 && B.ok == true") == [2])
        #expect(try Self.rows("H.v < 0 || H.v > 10 && B.ok == false") == [0, 4])
        #expect(try Self.rows("N.s == \"c\" || N.s > \"d\"") == [2, 4])
    }

    @Test("the query language's row expressions: parentheses, !, arithmetic, functions, nan, has")
    func rowLanguage() throws {
        #expect(try Self.rows("(H.v < 0 || H.v > 10) && !B.ok") == [4])
        #expect(try Self.rows("H.v * 2 - 1 >= 9") == [2, 4])
        #expect(try Self.rows("abs(H.v) == 1 || sqrt(H.v) > 3") == [0, 4])
        #expect(try Self.rows("H.v == nan") == [3])
        #expect(try Self.rows("has(N) && !has(Q)") == [0, 1, 2, 3, 4])
        let ids = (10..<15 as Range<UInt64>).map(EntityID.init(rawValue:))
        #expect(try FilterExpression.parse("id >= 13").matchingRows(keys: Self.keys, columns: Self.columns, count: 5, ids: ids) == [3, 4])
    }

    @Test("malformed expressions are errors with a reason and a column", arguments: [
        ("H.v <", "column 6: expected a value, a field or (, found the end"),
        ("Hv < 1", "column 1: Hv is not Component.field, id, a number or a function"),
        ("H.v ~ 1", "column 5: unexpected ~"),
        ("H.v < x", "column 7: x is not Component.field, id, a number or a function"),
        ("N.s == \"open", "column 8: the string is not closed with \""),
        ("first tick where H.v < 0", "a filter is a row expression"),
        ("H.v < 0 during 1..3", "a filter is a row expression"),
        ("H.v > 5 H.v < 9", "column 9: unexpected H.v; join conditions with && or || (and, or)"),
        ("changed(H.v)", "changed and changes look across checkpoints"),
        ("N.s < 1", "N.s is string; it cannot be compared with a number"),
    ])
    func errors(text: String, reason: String) {
        do {
            _ = try Self.rows(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect("\(error)".hasPrefix(reason), "\(text): \(error)")
        }
    }

    @Test("names are checked against a schema before the filter is used; an archetype without the component has no rows")
    func unknownColumn() throws {
        let schema = Schema(components: [ComponentType(name: "H", fields: [Field("v", .float32)])])
        #expect(throws: FilterError("H has no field w; did you mean H.v?")) { try FilterExpression.parse("H.w < 1").check(against: schema) }
        #expect(throws: FilterError("no component Q; did you mean H.v?")) { try FilterExpression.parse("Q.x < 1").check(against: schema) }
        #expect(try Self.rows("Q.x < 1") == [])
    }
}
