import PackCodec
import Simulations
import Testing
@testable import Timeline

/// The table's sort (`Column.sortedRows`) gives exactly the order of a
/// comparison sort on the numbers, ties by row, whatever the values: the
/// radix sort (of a narrow key packed with its row, and of a 64-bit key
/// carrying its row) must agree with it on every digit.
@Suite struct SortedRowsTests {
    /// The order a user expects: by value (NaN largest, `-0.0` before `0.0`
    /// as their bits order), ties by row ascending, descending reversing the
    /// values only.
    static func expected<T>(_ values: [T], descending: Bool, isBefore: (T, T) -> Bool) -> [Int] {
        values.indices.sorted { a, b in
            let (x, y) = (values[a], values[b])
            if isBefore(x, y) { return !descending }
            if isBefore(y, x) { return descending }
            return a < b
        }
    }

    static func floatingBefore<F: BinaryFloatingPoint>(_ x: F, _ y: F) -> Bool {
        if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN }
        if x == 0 && y == 0 { return x.sign == .minus && y.sign == .plus }
        return x < y
    }

    @Test("random columns of every fixed-width type, with ties, NaNs, both zeros and extremes, sort exactly as a comparison sort does, both ways",
          arguments: [(1, 0), (2, 7), (3, 5_000), (4, 70_000)] as [(UInt64, Int)])
    func agreesWithAComparisonSort(seed: UInt64, count: Int) throws {
        var random = SplitMix64(state: seed)
        // Few distinct values (ties in every digit) or any bits (every digit differs), by seed.
        let narrow = seed % 2 == 0
        let floats: [Float] = (0..<count).map { _ in
            switch random.next() % 10 {
            case 0: [Float.nan, -Float.nan, 0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude][Int(random.next() % 8)]
            default: narrow ? Float(Int(random.next() % 9) - 4) : Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            }
        }
        let ints: [Int32] = (0..<count).map { _ in narrow ? Int32(Int(random.next() % 5) - 2) : Int32(truncatingIfNeeded: random.next()) }
        let bytes: [UInt8] = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next() % (narrow ? 3 : 256)) }
        let shorts: [Int16] = (0..<count).map { _ in Int16(truncatingIfNeeded: random.next()) }
        let flags: [Bool] = (0..<count).map { _ in random.next() % 2 == 0 }
        let doubles: [Double] = (0..<count).map { _ in
            switch random.next() % 10 {
            case 0: [Double.nan, -Double.nan, 0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude][Int(random.next() % 8)]
            default: narrow ? Double(Int(random.next() % 9) - 4) / 2 : Double(bitPattern: random.next())
            }
        }
        let longs: [Int64] = (0..<count).map { _ in narrow ? Int64(Int(random.next() % 5) - 2) << 40 : Int64(bitPattern: random.next()) }
        let unsigned: [UInt64] = (0..<count).map { _ in narrow ? random.next() % 3 : random.next() }
        for descending in [false, true] {
            // The first position where the orders differ, not two arrays of 70,000 rows, when they do.
            func check(_ got: [Int], _ want: [Int], _ type: String) {
                let difference = got.count == want.count ? got.indices.first { got[$0] != want[$0] } : min(got.count, want.count)
                #expect(difference == nil, "\(type) \(descending ? "descending" : "ascending"), \(count) rows: first difference at \(difference ?? -1)")
            }
            check(Column(floats).sortedRows(descending: descending), Self.expected(floats, descending: descending, isBefore: Self.floatingBefore), "float32")
            check(Column(ints).sortedRows(descending: descending), Self.expected(ints, descending: descending, isBefore: <), "int32")
            check(Column(bytes).sortedRows(descending: descending), Self.expected(bytes, descending: descending, isBefore: <), "uint8")
            check(Column(shorts).sortedRows(descending: descending), Self.expected(shorts, descending: descending, isBefore: <), "int16")
            check(Column(flags).sortedRows(descending: descending), Self.expected(flags, descending: descending) { !$0 && $1 }, "bool")
            check(Column(doubles).sortedRows(descending: descending), Self.expected(doubles, descending: descending, isBefore: Self.floatingBefore), "float64")
            check(Column(longs).sortedRows(descending: descending), Self.expected(longs, descending: descending, isBefore: <), "int64")
            check(Column(unsigned).sortedRows(descending: descending), Self.expected(unsigned, descending: descending, isBefore: <), "uint64")
        }
    }

    @Test("string and bytes columns sort by their bytes, a value before the longer ones it starts, ties by row, both ways",
          arguments: [1, 2, 3] as [UInt64])
    func variableWidth(seed: UInt64) {
        var random = SplitMix64(state: seed + 40)
        // Short values from a few bytes (0x00 and 0xFF included): empty values, prefixes of each other and duplicates are common.
        let alphabet: [UInt8] = [0x00, 0x41, 0x61, 0x7F, 0x80, 0xC3, 0xFF]
        let values: [[UInt8]] = (0..<(500 + Int(seed) * 700)).map { _ in
            (0..<Int(random.next() % 5)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        }
        let strings = values.map { String(decoding: $0.filter { $0 < 0x80 && $0 != 0 }, as: UTF8.self) }
        for descending in [false, true] {
            #expect(Column(byteStrings: values).sortedRows(descending: descending)
                    == Self.expected(values, descending: descending) { $0.lexicographicallyPrecedes($1) }, "bytes, seed \(seed)")
            #expect(Column(strings: strings).sortedRows(descending: descending)
                    == Self.expected(strings.map { Array($0.utf8) }, descending: descending) { $0.lexicographicallyPrecedes($1) }, "strings, seed \(seed)")
        }
        #expect(Column(strings: []).sortedRows(descending: false).isEmpty)
        #expect(Column(strings: ["", "", ""]).sortedRows(descending: true) == [0, 1, 2])
    }

    @Test("the radix sort keeps values with equal keys in order, and sorts keys that differ only in one digit, the highest included")
    func radixDigits() {
        // Keys differing in one digit each (bits 32, 43 and 63), rows ascending as packed.
        let keys: [UInt64] = [1 << 31, 0, 1 << 11, 1, 1 << 31, 1 << 11, 0]
        var packed = keys.enumerated().map { row, key in key << 32 | UInt64(row) }
        RadixSort.sort(&packed, digits: [(32, 11), (43, 11), (54, 10)]) { $0 }
        #expect(packed.map { $0 & 0xFFFF_FFFF } == [1, 6, 3, 2, 5, 0, 4])
        var one: [UInt64] = [7 << 32]
        RadixSort.sort(&one, digits: [(32, 11), (43, 11), (54, 10)]) { $0 }
        #expect(one == [7 << 32])
        // 64-bit keys differing in bit 0, 11, 63 and 55 only, rows carried beside them.
        var wide = ([1 << 63, 0, 1 << 11, 1, 1 << 63, 1 << 55, 0] as [UInt64]).enumerated().map { (key: $1, row: $0) }
        RadixSort.sort(&wide, digits: [(0, 11), (11, 11), (22, 11), (33, 11), (44, 11), (55, 9)]) { $0.key }
        #expect(wide.map(\.row) == [1, 6, 3, 2, 5, 0, 4])
        var none: [UInt64] = []
        RadixSort.sort(&none, digits: [(0, 16)]) { $0 }
        #expect(none.isEmpty)
    }
}
