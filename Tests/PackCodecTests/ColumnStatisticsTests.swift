@testable import PackCodec
import Simulations
import Testing

/// Block statistics agree with the plain definition (the smallest and the
/// largest value that is not NaN, and the NaNs counted) for every numeric
/// type, at lengths around the vector width, aligned or not.
@Suite struct ColumnStatisticsTests {
    static func expected<T: BinaryFloatingPoint>(_ values: [T]) -> ColumnStatistics {
        let numbers = values.filter { !$0.isNaN }
        let nans = UInt64(values.count - numbers.count)
        guard let low = numbers.min(), let high = numbers.max() else {
            return ColumnStatistics(minimum: .float(.infinity), maximum: .float(-.infinity), nanCount: nans)
        }
        return ColumnStatistics(minimum: .float(Double(low)), maximum: .float(Double(high)), nanCount: nans)
    }

    static func statistics<T>(_ values: [T], type: FieldType, offset: Int) -> ColumnStatistics? {
        // Shift the bytes by `offset` to reach the unaligned path too.
        let bytes = [UInt8](repeating: 0, count: offset) + values.withUnsafeBytes { Array($0) }
        return bytes.withUnsafeBytes { ColumnStatistics.of(raw: UnsafeRawBufferPointer(rebasing: $0[offset...]), type: type) }
    }

    @Test("floats: NaNs of any payload and sign counted apart, infinities and signed zeros kept", arguments: [0, 1, 15, 16, 17, 100, 1000])
    func floats(count: Int) {
        var generator = SplitMix64(state: UInt64(count) + 1)
        let specials: [Float] = [.nan, -.nan, Float(bitPattern: 0x7FC0_0001), Float(bitPattern: 0xFF80_0001), .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude]
        let values: [Float] = (0..<count).map { _ in
            let roll = generator.next()
            return roll % 7 == 0 ? specials[Int(roll >> 8) % specials.count] : Float(bitPattern: UInt32(truncatingIfNeeded: roll >> 16)) }
        let doubles = values.map { $0.isNaN ? Double.nan : Double($0) * 1e200 }
        for offset in [0, 1] {
            #expect(Self.statistics(values, type: .float32, offset: offset) == (count == 0 ? nil : Self.expected(values)), "f32 \(count) +\(offset)")
            #expect(Self.statistics(doubles, type: .float64, offset: offset) == (count == 0 ? nil : Self.expected(doubles)), "f64 \(count) +\(offset)")
        }
        #expect(Self.statistics([Float.nan, .nan], type: .float32, offset: 0)
            == ColumnStatistics(minimum: .float(.infinity), maximum: .float(-.infinity), nanCount: 2))
    }

    @Test("integers of every width and signedness, extremes included", arguments: [1, 16, 33, 1000])
    func integers(count: Int) {
        var generator = SplitMix64(state: UInt64(count) * 31)
        func check<T: FixedWidthInteger>(_: T.Type, _ type: FieldType) {
            let values: [T] = (0..<count).map { _ in T(truncatingIfNeeded: generator.next()) }
            let bound: (T) -> ColumnStatistics.Bound = { T.isSigned ? .signed(Int64($0)) : .unsigned(UInt64($0)) }
            let expected = ColumnStatistics(minimum: bound(values.min()!), maximum: bound(values.max()!), nanCount: 0)
            for offset in [0, 3] { #expect(Self.statistics(values, type: type, offset: offset) == expected, "\(type) \(count) +\(offset)") }
        }
        check(Int8.self, .int8); check(Int16.self, .int16); check(Int32.self, .int32); check(Int64.self, .int64)
        check(UInt8.self, .uint8); check(UInt16.self, .uint16); check(UInt32.self, .uint32); check(UInt64.self, .uint64)
        #expect(Self.statistics([true, false], type: .bool, offset: 0) == nil)
    }

    @Test("verify's one pass: XXH3 hashed chunk by chunk equals the one-shot value, and chunks' statistics merge to the whole's")
    func chunkedPass() {
        var generator = SplitMix64(state: 5)
        for count in [0, 1, 4_095, 4_096, 70_001] {
            let values: [Float] = (0..<count).map { _ in
                let roll = generator.next()
                return roll % 11 == 0 ? .nan : Float(Int64(bitPattern: roll) % 1_000_000) / 7
            }
            values.withUnsafeBytes { raw in
                var merged: ColumnStatistics?
                var visited = 0
                let chunked = XXH3.checksum(raw, chunkSize: 4_096 * 4) { chunk in
                    visited += chunk.count
                    guard let part = ColumnStatistics.of(raw: chunk, type: .float32) else { return }
                    merged = merged.map { $0.merged(with: part) } ?? part
                }
                #expect(chunked == XXH3.checksum(raw), "\(count) values")
                #expect(visited == raw.count)
                #expect(merged == ColumnStatistics.of(raw: raw, type: .float32), "\(count) values")
            }
        }
    }
}
