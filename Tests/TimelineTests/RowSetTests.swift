import Simulations
import Testing
@testable import Timeline

/// A set built from a delta record's row list in one pass holds exactly the
/// rows that inserting them one by one does, below the limit.
@Suite struct RowSetTests {
    @Test("a set from a row list equals one built row by row, in any order, with duplicates, cut at a limit", arguments: [0, 1, 63, 64, 65, 1000])
    func fromRows(capacity: Int) {
        var generator = SplitMix64(state: UInt64(capacity) + 9)
        let rows: [UInt32] = (0..<(capacity / 3 + 5)).map { _ in UInt32(generator.next() % UInt64(capacity + 70)) }
        for limit in [nil, 0, capacity / 2, capacity, capacity + 5] {
            var expected = RowSet(capacity: capacity)
            for row in rows where Int(row) < min(limit ?? capacity, capacity) { expected.insert(Int(row)) }
            let built = RowSet(capacity: capacity, rows: rows, below: limit)
            #expect(built == expected, "capacity \(capacity), limit \(String(describing: limit))")
            #expect(built.rows == Set(rows.map(Int.init).filter { $0 < min(limit ?? capacity, capacity) }).sorted())
        }
        #expect(RowSet(capacity: capacity, rows: rows, below: -3).isEmpty)
    }
}
