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
            return sortedVariableRows(descending: descending)
        }
        if let width = type.width, width <= 4, count <= Int(UInt32.max) {
            // Key and row packed in one integer: a plain integer sort.
            var packed = keys.enumerated().map { row, key in
                let narrow = UInt64(min(key, UInt64(UInt32.max)))
                return (descending ? UInt64(UInt32.max) - narrow : narrow) << 32 | UInt64(row)
            }
            // They start in row order, so sorting by the key alone (its three digits) keeps ties by row.
            RadixSort.sort(&packed, digits: [(32, 11), (43, 11), (54, 10)]) { $0 }
            return packed.map { Int($0 & 0xFFFF_FFFF) }
        }
        if descending { for index in keys.indices { keys[index] = ~keys[index] } }
        // The row carried beside its key, in row order: sorting by the key's six digits keeps ties by row.
        var pairs = keys.enumerated().map { (key: $0.element, row: $0.offset) }
        RadixSort.sort(&pairs, digits: [(0, 11), (11, 11), (22, 11), (33, 11), (44, 11), (55, 9)]) { $0.key }
        return pairs.map(\.row)
    }

    /// The rows of a string or bytes column by their bytes (a shorter
    /// value first where one is the start of the other), ties by row:
    /// each comparison one `memcmp` of the two values in place, where
    /// comparing them as collections took six times as long (3 s for a
    /// million short strings).
    private func sortedVariableRows(descending: Bool) -> [Int] {
        storage.withUnsafeBytes { bytes in
            ends.withUnsafeBufferPointer { ends in
                func order(_ a: Int, _ b: Int) -> Int32 {
                    let (startA, startB) = (a == 0 ? 0 : ends[a - 1], b == 0 ? 0 : ends[b - 1])
                    let (lengthA, lengthB) = (ends[a] - startA, ends[b] - startB)
                    let shared = min(lengthA, lengthB)
                    let compared = shared == 0 ? 0 : memcmp(bytes.baseAddress! + startA, bytes.baseAddress! + startB, shared)
                    return compared != 0 ? compared : lengthA == lengthB ? 0 : lengthA < lengthB ? -1 : 1
                }
                return Array(0..<count).sorted { a, b in
                    let compared = order(a, b)
                    return compared == 0 ? a < b : descending ? compared > 0 : compared < 0
                }
            }
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
