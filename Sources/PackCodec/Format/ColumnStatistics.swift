import CColumnBounds

/// The smallest and the largest value of a numeric column and how many of
/// its values are NaN: what format 2 stores beside a block
/// (`docs/FORMAT.md`, "Block statistics"), so a query can tell that a
/// block cannot match without decoding it (`Health.value > 1000` skips a
/// block whose maximum is 100).
///
/// Kept for integer and float columns with at least one value, in files
/// that are not encrypted (the bounds would tell what the cipher hides).
///
/// ```swift
/// let reader = try SnapshotReader(path: "world.tscp")
/// if let statistics = reader.contents.archetypes[0].columnBlocks[0].statistics,
///    case .float(let largest) = statistics.maximum, largest < 1000 {
///     // no value of this column is above 1000: skip it
/// }
/// ```
public struct ColumnStatistics: Sendable, Hashable {
    /// A bound in the widest type of the column's kind: exact for every
    /// value of every width (an `f32` widens to `f64` exactly).
    public enum Bound: Sendable, Hashable, CustomStringConvertible {
        /// A signed integer column's bound.
        case signed(Int64)
        /// An unsigned integer column's bound.
        case unsigned(UInt64)
        /// A float column's bound; never NaN. `-0.0` and `0.0` are equal.
        case float(Double)

        /// The bound's eight bytes in the file: the `i64`, the `u64` or the
        /// `f64`'s bit pattern.
        var bits: UInt64 {
            switch self {
            case .signed(let value): UInt64(bitPattern: value)
            case .unsigned(let value): value
            case .float(let value): value.bitPattern
            }
        }

        public var description: String {
            switch self {
            case .signed(let value): String(value)
            case .unsigned(let value): String(value)
            case .float(let value): String(value)
            }
        }
    }

    /// The smallest value that is not NaN (`+inf` when every value is NaN).
    public var minimum: Bound
    /// The largest value that is not NaN (`-inf` when every value is NaN).
    public var maximum: Bound
    /// How many values are NaN (0 for integer columns).
    public var nanCount: UInt64

    /// The size of the statistics in a block descriptor.
    package static let size = 24

    /// Whether columns of `type` carry statistics: integers and floats.
    public static func applies(to type: FieldType) -> Bool {
        type.isInteger || type == .float32 || type == .float64
    }

    /// The statistics of a column's raw bytes (values of `type`, little-
    /// endian, back to back), or `nil` when the type has none or the column
    /// is empty.
    public static func of(raw: UnsafeRawBufferPointer, type: FieldType) -> ColumnStatistics? {
        guard applies(to: type), let width = type.width, raw.count >= width else { return nil }
        // 4- and 8-byte values go to `CColumnBounds`, which uses AVX2 where
        // the CPU has it; narrower integers stay in Swift.
        switch type {
        case .int8: return integers(raw, Int8.self)
        case .int16: return integers(raw, Int16.self)
        case .int32: return integers(raw, Int32.self, tickscope_bounds_i32)
        case .int64: return integers(raw, Int64.self, tickscope_bounds_i64)
        case .uint8: return integers(raw, UInt8.self)
        case .uint16: return integers(raw, UInt16.self)
        case .uint32: return integers(raw, UInt32.self, tickscope_bounds_u32)
        case .uint64: return integers(raw, UInt64.self, tickscope_bounds_u64)
        case .float32:
            return floats(raw, infinity: Float.infinity.bitPattern, tickscope_float_keys_32) { Double(Float(bitPattern: $0)) }
        case .float64:
            return floats(raw, infinity: Double.infinity.bitPattern, tickscope_float_keys_64) { Double(bitPattern: $0) }
        case .bool, .string, .bytes: return nil
        }
    }

    /// A C function that finds the bounds of a buffer of integers.
    private typealias BoundsKernel<T> = (UnsafePointer<T>?, Int, UnsafeMutablePointer<T>?, UnsafeMutablePointer<T>?) -> Void

    @inline(__always)
    private static func integers<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _: T.Type, _ kernel: BoundsKernel<T>? = nil) -> ColumnStatistics {
        let (smallest, largest) = raw.withValues(as: T.self) { (values: UnsafeBufferPointer<T>) -> (T, T) in
            var low = T.max, high = T.min
            if let kernel {
                kernel(values.baseAddress, values.count, &low, &high)
                return (low, high)
            }
            for value in values {
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            return (low, high)
        }
        return T.isSigned
            ? ColumnStatistics(minimum: .signed(Int64(smallest)), maximum: .signed(Int64(largest)), nanCount: 0)
            : ColumnStatistics(minimum: .unsigned(UInt64(smallest)), maximum: .unsigned(UInt64(largest)), nanCount: 0)
    }

    /// A C function that finds the bounds of float bit patterns as sortable
    /// keys and counts the NaNs (`column_bounds.h`).
    private typealias FloatKeysKernel<Bits> = (
        UnsafePointer<Bits>?, Int, Bits, UnsafeMutablePointer<Bits>?, UnsafeMutablePointer<Bits>?, UnsafeMutablePointer<Bits>?
    ) -> Void

    /// Float bounds by their bit patterns: each value becomes an unsigned
    /// key that sorts as the floats do (negative: all bits inverted;
    /// positive: the sign bit set), a NaN becomes no candidate and is
    /// counted. Integer min/max of this shape is branch-free vector code,
    /// where a float min/max that must step around NaNs is not.
    @inline(__always)
    private static func floats<Bits: FixedWidthInteger & UnsignedInteger>(
        _ raw: UnsafeRawBufferPointer, infinity: Bits, _ kernel: FloatKeysKernel<Bits>, value: (Bits) -> Double
    ) -> ColumnStatistics {
        let sign: Bits = 1 << (Bits.bitWidth - 1)
        var low = Bits.max, high = Bits.min, nans: Bits = 0
        raw.withValues(as: Bits.self) { kernel($0.baseAddress, $0.count, infinity, &low, &high, &nans) }
        let count = raw.count / MemoryLayout<Bits>.size
        guard Int(nans) < count else {
            return ColumnStatistics(minimum: .float(.infinity), maximum: .float(-.infinity), nanCount: UInt64(nans))
        }
        func bits(_ key: Bits) -> Bits { key & sign != 0 ? key & ~sign : ~key }
        return ColumnStatistics(minimum: .float(value(bits(low))), maximum: .float(value(bits(high))), nanCount: UInt64(nans))
    }

    /// The statistics of two parts of one column together.
    package func merged(with other: ColumnStatistics) -> ColumnStatistics {
        func pick(_ lhs: Bound, _ rhs: Bound, smaller: Bool) -> Bound {
            switch (lhs, rhs) {
            case let (.signed(a), .signed(b)): .signed(smaller ? Swift.min(a, b) : Swift.max(a, b))
            case let (.unsigned(a), .unsigned(b)): .unsigned(smaller ? Swift.min(a, b) : Swift.max(a, b))
            case let (.float(a), .float(b)):
                // -0 below +0, as a whole column's keys order them, so that
                // parts merged give the whole's bounds bit for bit.
                .float((a < b || (a == b && a.sign == .minus)) == smaller ? a : b)
            default: preconditionFailure("statistics of different kinds")
            }
        }
        return ColumnStatistics(
            minimum: pick(minimum, other.minimum, smaller: true), maximum: pick(maximum, other.maximum, smaller: false),
            nanCount: nanCount + other.nanCount)
    }

    package func write(to writer: inout ByteWriter) {
        writer.writeInteger(minimum.bits)
        writer.writeInteger(maximum.bits)
        writer.writeInteger(nanCount)
    }

    /// Reads and checks statistics of a column of `count` values of `type`
    /// that start at the reader's offset: bounds within the type, not NaN,
    /// in order, and a NaN count no larger than the column.
    package static func read(from reader: inout ByteReader, type: FieldType, count: UInt64) throws(PackError) -> ColumnStatistics {
        let start = reader.offset
        let minimumBits = try reader.readInteger(as: UInt64.self)
        let maximumBits = try reader.readInteger(as: UInt64.self)
        let nanCount = try reader.readInteger(as: UInt64.self)
        func bad(_ reason: String) -> PackError { .malformed(offset: start, reason: "block statistics: \(reason)") }
        guard applies(to: type), let width = type.width else { throw bad("a \(type) column has none") }
        guard count > 0 else { throw bad("an empty column has none") }
        let statistics: ColumnStatistics
        if type.isInteger {
            guard nanCount == 0 else { throw bad("\(nanCount) NaNs in an integer column") }
            let bits = UInt64(width * 8)
            if type.isSignedInteger {
                let low = Int64(bitPattern: minimumBits), high = Int64(bitPattern: maximumBits)
                let limit = bits == 64 ? Int64.max : (Int64(1) << (bits - 1)) - 1
                guard low >= -limit - 1, high <= limit, low <= high else { throw bad("bounds \(low)…\(high) do not fit a \(type) column") }
                statistics = ColumnStatistics(minimum: .signed(low), maximum: .signed(high), nanCount: 0)
            } else {
                let limit = bits == 64 ? UInt64.max : (UInt64(1) << bits) - 1
                guard maximumBits <= limit, minimumBits <= maximumBits else {
                    throw bad("bounds \(minimumBits)…\(maximumBits) do not fit a \(type) column")
                }
                statistics = ColumnStatistics(minimum: .unsigned(minimumBits), maximum: .unsigned(maximumBits), nanCount: 0)
            }
        } else {
            let low = Double(bitPattern: minimumBits), high = Double(bitPattern: maximumBits)
            guard nanCount <= count else { throw bad("\(nanCount) NaNs among \(count) values") }
            guard !low.isNaN, !high.isNaN else { throw bad("a bound is NaN") }
            if type == .float32 {
                guard Double(Float(low)) == low, Double(Float(high)) == high else { throw bad("a bound is not an f32 value") }
            }
            if nanCount == count {
                guard low == .infinity, high == -.infinity else { throw bad("every value is NaN, so the bounds must be +inf and -inf") }
            } else {
                guard low <= high else { throw bad("minimum \(low) is above maximum \(high)") }
            }
            statistics = ColumnStatistics(minimum: .float(low), maximum: .float(high), nanCount: nanCount)
        }
        return statistics
    }
}
