import PackCodec

#if canImport(Glibc)
import Glibc
#endif

extension Column {
    /// The rows where `other` (same type and count, same entities) differs,
    /// bit for bit: a NaN equals the same NaN, and 0.0 differs from -0.0.
    func rowsDiffering(from other: Column) -> RowSet {
        switch type.width {
        case 1: return rowsDiffering(from: other, as: UInt8.self)
        case 2: return rowsDiffering(from: other, as: UInt16.self)
        case 4: return rowsDiffering(from: other, as: UInt32.self)
        case 8: return rowsDiffering(from: other, as: UInt64.self)
        default:
            var rows = RowSet(capacity: count)
            for row in 0..<Swift.min(count, other.count) where !variableBytes(at: row).elementsEqual(other.variableBytes(at: row)) {
                rows.insert(row)
            }
            return rows
        }
    }

    /// 64 rows at a time, a word of the result per step.
    private func rowsDiffering<Word: FixedWidthInteger>(from other: Column, as _: Word.Type) -> RowSet {
        var rows = RowSet(capacity: count)
        let shared = Swift.min(count, other.count)
        storage.withUnsafeBytes { a in
            other.storage.withUnsafeBytes { b in
                let left = a.bindMemory(to: Word.self), right = b.bindMemory(to: Word.self)
                var first = 0
                while first < shared {
                    let end = Swift.min(first + 64, shared)
                    var bits: UInt64 = 0
                    for row in first..<end where left[row] != right[row] { bits |= 1 << UInt64(row - first) }
                    if bits != 0 { rows.setWord(at: first, bits) }
                    first = end
                }
            }
        }
        return rows
    }

    /// The rows whose value differs from the paired row of `other`; rows
    /// without a partner are not counted (they are spawned or moved).
    func rowsDiffering(from other: Column, pairs: RowPairs) -> RowSet {
        switch type.width {
        case 1: return rowsDiffering(from: other, pairs: pairs, as: UInt8.self)
        case 2: return rowsDiffering(from: other, pairs: pairs, as: UInt16.self)
        case 4: return rowsDiffering(from: other, pairs: pairs, as: UInt32.self)
        case 8: return rowsDiffering(from: other, pairs: pairs, as: UInt64.self)
        default:
            var rows = RowSet(capacity: count)
            let partners = pairs.oldRow
            for row in 0..<count {
                let partner = Int(partners[row])
                if partner >= 0, !variableBytes(at: row).elementsEqual(other.variableBytes(at: partner)) { rows.insert(row) }
            }
            return rows
        }
    }

    private func rowsDiffering<Word: FixedWidthInteger>(from other: Column, pairs: RowPairs, as _: Word.Type) -> RowSet {
        var rows = RowSet(capacity: count)
        storage.withUnsafeBytes { a in
            other.storage.withUnsafeBytes { b in
                pairs.oldRow.withUnsafeBufferPointer { partners in
                    let left = a.bindMemory(to: Word.self), right = b.bindMemory(to: Word.self)
                    for row in 0..<Swift.min(count, partners.count) {
                        let partner = Int(partners[row])
                        if partner >= 0, partner < right.count, left[row] != right[partner] { rows.insert(row) }
                    }
                }
            }
        }
        return rows
    }

    /// The rows in ascending order of value (descending when asked), ties
    /// by row. NaN counts as the largest value; strings sort by their UTF-8
    /// bytes.
    public func sortedRows(descending: Bool) -> [Int] {
        var keys: [UInt64]
        switch type {
        case .float32: keys = values(as: Float.self).map { UInt64(Self.orderable($0.bitPattern, sign: 1 << 31)) }
        case .float64: keys = values(as: Double.self).map { Self.orderable($0.bitPattern, sign: 1 << 63) }
        case .int8: keys = values(as: Int8.self).map { UInt64(UInt8(bitPattern: $0) ^ 0x80) }
        case .int16: keys = values(as: Int16.self).map { UInt64(UInt16(bitPattern: $0) ^ 0x8000) }
        case .int32: keys = values(as: Int32.self).map { UInt64(UInt32(bitPattern: $0) ^ 0x8000_0000) }
        case .int64: keys = values(as: Int64.self).map { UInt64(bitPattern: $0) ^ (1 << 63) }
        case .bool: keys = values(as: Bool.self).map { $0 ? 1 : 0 }
        case .uint8: keys = values(as: UInt8.self).map { UInt64($0) }
        case .uint16: keys = values(as: UInt16.self).map { UInt64($0) }
        case .uint32: keys = values(as: UInt32.self).map { UInt64($0) }
        case .uint64: keys = values(as: UInt64.self)
        default:
            let rows = Array(0..<count)
            return rows.sorted { a, b in
                let x = variableBytes(at: a), y = variableBytes(at: b)
                if x.elementsEqual(y) { return a < b }
                return descending ? y.lexicographicallyPrecedes(x) : x.lexicographicallyPrecedes(y)
            }
        }
        if let width = type.width, width <= 4, count <= Int(UInt32.max) {
            // Key and row packed in one integer: a plain integer sort.
            var packed = keys.enumerated().map { row, key in
                let narrow = UInt64(min(key, UInt64(UInt32.max)))
                return (descending ? UInt64(UInt32.max) - narrow : narrow) << 32 | UInt64(row)
            }
            Self.sortByKeyKeepingRowOrder(&packed)
            return packed.map { Int($0 & 0xFFFF_FFFF) }
        }
        if descending { for index in keys.indices { keys[index] = ~keys[index] } }
        guard count <= Int(UInt32.max) else {
            var pairs = keys.enumerated().map { (key: $0.element, row: $0.offset) }
            pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
            return pairs.map(\.row)
        }
        return Self.rowsSortedByKey(&keys)
    }

    /// The rows `0..<keys.count` in ascending order of their 64-bit keys,
    /// ties by row: a stable radix sort of the keys' six digits (11 bits,
    /// the last 9), least significant first, moving each row with its key;
    /// a digit all keys share is skipped. Leaves `keys` sorted.
    static func rowsSortedByKey(_ keys: inout [UInt64]) -> [Int] {
        var rows = (0..<UInt32(keys.count)).map { $0 }
        if keys.count > 1 {
            let shifts: [UInt64] = [0, 11, 22, 33, 44, 55]
            // Each digit's histogram, 2,049 slots apart in `counts` (a slot more than its buckets), all in one pass.
            var counts = [Int](repeating: 0, count: shifts.count * 0x801)
            counts.withUnsafeMutableBufferPointer { counts in
                keys.withUnsafeBufferPointer { keys in
                    for key in keys {
                        for (digit, shift) in shifts.enumerated() { counts[digit * 0x801 + Int(truncatingIfNeeded: key >> shift) & 0x7FF + 1] += 1 }
                    }
                }
            }
            var (keyScratch, rowScratch) = ([UInt64](repeating: 0, count: keys.count), [UInt32](repeating: 0, count: keys.count))
            for (digit, shift) in shifts.enumerated() {
                var starts = Array(counts[(digit * 0x801)..<((digit + 1) * 0x801)])
                if starts.contains(keys.count) { continue }
                for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
                keys.withUnsafeBufferPointer { keys in
                    rows.withUnsafeBufferPointer { rows in
                        keyScratch.withUnsafeMutableBufferPointer { sortedKeys in
                            rowScratch.withUnsafeMutableBufferPointer { sortedRows in
                                starts.withUnsafeMutableBufferPointer { starts in
                                    for index in 0..<keys.count {
                                        let bucket = Int(truncatingIfNeeded: keys[index] >> shift) & 0x7FF
                                        sortedKeys[starts[bucket]] = keys[index]
                                        sortedRows[starts[bucket]] = rows[index]
                                        starts[bucket] += 1
                                    }
                                }
                            }
                        }
                    }
                }
                swap(&keys, &keyScratch)
                swap(&rows, &rowScratch)
            }
        }
        return rows.map { Int($0) }
    }

    /// Sorts `packed` (a 32-bit key above a row number, rows ascending) by
    /// key, rows staying in order within a key: a stable radix sort of the
    /// key's three digits (11, 11 and 10 bits), least significant first,
    /// which makes three passes over a million rows where a comparison
    /// sort makes twenty. A digit all values share is skipped.
    static func sortByKeyKeepingRowOrder(_ packed: inout [UInt64]) {
        guard packed.count > 1 else { return }
        // Each digit's histogram, one after another in `counts` (a slot more than its buckets), all in one pass.
        let digits: [(shift: UInt64, mask: Int, first: Int)] = [(32, 0x7FF, 0), (43, 0x7FF, 0x801), (54, 0x3FF, 0x1002)]
        var counts = [Int](repeating: 0, count: 0x1002 + 0x401)
        counts.withUnsafeMutableBufferPointer { counts in
            packed.withUnsafeBufferPointer { values in
                for value in values {
                    counts[Int(truncatingIfNeeded: value >> 32) & 0x7FF + 1] += 1
                    counts[0x801 + Int(truncatingIfNeeded: value >> 43) & 0x7FF + 1] += 1
                    counts[0x1002 + Int(truncatingIfNeeded: value >> 54) & 0x3FF + 1] += 1
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: packed.count)
        for digit in digits {
            var starts = Array(counts[digit.first...(digit.first + digit.mask + 1)])
            if starts.contains(packed.count) { continue }
            for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
            packed.withUnsafeBufferPointer { values in
                scratch.withUnsafeMutableBufferPointer { sorted in
                    starts.withUnsafeMutableBufferPointer { starts in
                        for value in values {
                            let bucket = Int(truncatingIfNeeded: value >> digit.shift) & digit.mask
                            sorted[starts[bucket]] = value
                            starts[bucket] += 1
                        }
                    }
                }
            }
            swap(&packed, &scratch)
        }
    }

    /// Maps IEEE bit patterns to integers that order like the numbers
    /// (negative NaNs are put with the positive ones, last).
    private static func orderable<Bits: FixedWidthInteger & UnsignedInteger>(_ bits: Bits, sign: Bits) -> UInt64 {
        let exponentAll = sign == 1 << 31 ? Bits(0x7F80_0000) : Bits(truncatingIfNeeded: 0x7FF0_0000_0000_0000 as UInt64)
        let magnitude = bits & ~sign
        if magnitude > exponentAll { return UInt64.max }  // NaN
        let mapped = bits & sign != 0 ? ~bits : bits | sign
        return UInt64(mapped)
    }
}
