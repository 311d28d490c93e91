import PackCodec
import ScopeUI
import Testing

@Suite struct FilterTests {
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

    @Test("malformed expressions and unknown columns are errors with a reason", arguments: [
        ("H.v <", "expected Component.field OP value"),
        ("Hv < 1", "Hv is not Component.field"),
        ("H.v ~ 1", "~ is not one of < <= > >= == !="),
        ("H.v < x", "x is not a number, true, false or \"text\""),
        ("N.s == \"open", "unterminated \""),
    ])
    func errors(text: String, reason: String) {
        #expect(throws: FilterError(reason)) { try Self.rows(text) }
    }

    @Test("a column the archetype lacks is named")
    func unknownColumn() {
        #expect(throws: FilterError("this archetype has no Q.x")) { try Self.rows("Q.x < 1") }
    }
}
