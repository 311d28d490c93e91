/// The fixed-point filter (docs/FORMAT.md, "Filters"): a column of floats
/// whose values are all whole multiples of one power of two, `2^-q`, and lie
/// within `2^32` such steps of each other, stored as integers: `u16 q`,
/// `i64 base`, then for each value the `u32` offset `value × 2^q − base`,
/// the offsets byte-shuffled.
///
/// Floats drawn from a generator's 24 random bits and scaled (`u × 16`,
/// `2u − 1`), or whole numbers stored as floats (`floor(u × 101)`), spread
/// their information over sign, exponent and mantissa bytes that a byte
/// compressor codes one stream at a time and cannot correlate; as offsets
/// they are three bytes of payload and one of zeros (W2 at 1,000,000
/// entities: 17.64 MB with zstd:1 before, 16.6 MB with it).
///
/// The encoding of a column is unique (the smallest such `q`, the smallest
/// value's multiple as `base`), so a world still writes to the same bytes.
enum FixedPoint {
    /// `u16 q` and `i64 base`.
    static let headerLength = 10

    /// The encoded length of `count` values.
    static func encodedLength(count: UInt64) -> UInt64 { UInt64(headerLength) + 4 * count }

    /// The largest `q` of a type: its smallest subnormal is `2^-q`.
    static func maxScale(of type: FieldType) -> Int { type == .float32 ? 149 : 1074 }

    /// The most steps a writer spreads a column over: where the offsets
    /// are narrower than the values. An `f32` column over more than 2^24
    /// steps would store four bytes for four, and is left to shuffle.
    static func writerSteps(of type: FieldType) -> UInt64 { type == .float32 ? 1 << 24 : 1 << 32 }

    /// Encodes `raw` (`f32` or `f64` values) into `output`.
    /// - Returns: `false`, leaving `output` unspecified, when the values do
    ///   not allow it: a NaN, an infinity or `-0.0`, values on no common
    ///   grid of at most 53 bits, or spread over more than
    ///   ``writerSteps(of:)`` steps.
    /// - Parameter scratch: memory the encoder may use (reused between
    ///   blocks by the caller).
    static func encode(_ raw: UnsafeRawBufferPointer, type: FieldType, scratch: inout [UInt8], into output: inout [UInt8]) -> Bool {
        let grid: (q: Int, base: Int64)?
        switch type {
        case .float32: grid = encodeFloat32(raw, steps: writerSteps(of: type), into: &scratch)
        case .float64: grid = encodeFloat64(raw, steps: writerSteps(of: type), into: &scratch)
        default: grid = nil
        }
        guard let grid else { return false }
        output.resize(to: headerLength + scratch.count)
        output.withUnsafeMutableBytes { out in
            out.storeBytes(of: UInt16(grid.q).littleEndian, toByteOffset: 0, as: UInt16.self)
            out.storeBytes(of: grid.base.littleEndian, toByteOffset: 2, as: Int64.self)
            scratch.withUnsafeBytes { ByteShuffle.shuffle($0, width: 4, into: UnsafeMutableRawBufferPointer(rebasing: out[headerLength...])) }
        }
        return true
    }

    /// Decodes `encoded` into `raw` (`raw.count / width` values).
    /// - Returns: why the bytes are malformed, or `nil`.
    static func decode(_ encoded: UnsafeRawBufferPointer, type: FieldType, into raw: UnsafeMutableRawBufferPointer) -> String? {
        guard let width = type.width, type == .float32 || type == .float64 else { return "fixed-point applies to f32 and f64 only" }
        let count = raw.count / width
        guard encoded.count == headerLength + 4 * count else { return "fixed-point block of \(encoded.count) bytes for \(count) values" }
        let q = Int(encoded.loadUnaligned(fromByteOffset: 0, as: UInt16.self).littleEndian)
        guard q <= maxScale(of: type) else { return "fixed-point scale 2^-\(q) is finer than the smallest \(type)" }
        let base = Int64(littleEndian: encoded.loadUnaligned(fromByteOffset: 2, as: Int64.self))
        let step = Double(sign: .plus, exponent: -q, significand: 1)
        let streams = UnsafeRawBufferPointer(rebasing: encoded[headerLength...])
        // The offsets unshuffled (in place for f32, whose values are as wide), then each
        // k = base + offset turned into k × 2^-q; a k past 64 bits is tracked, not branched on.
        var offsets: [UInt8] = []
        if type == .float32 {
            ByteShuffle.unshuffle(streams, width: 4, into: raw)
        } else {
            offsets = [UInt8](unsafeUninitializedCapacity: 4 * count) { buffer, initialized in
                ByteShuffle.unshuffle(streams, width: 4, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = 4 * count
            }
        }
        var wrapped: UInt8 = 0
        for index in 0..<count {
            let offset = type == .float32
                ? raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                : offsets.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self) }
            let k = base &+ Int64(UInt32(littleEndian: offset))
            wrapped |= k < base ? 1 : 0
            let value = Double(k) * step
            if type == .float32 {
                raw.storeBytes(of: Float(value).bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            } else {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
            }
        }
        return wrapped == 0 ? nil : "fixed-point base \(base) plus an offset overflows 64 bits"
    }

    /// The `f32` grid and offsets: a branch-free pass over typed words for
    /// the grid and the bounds, one for the offsets (into `offsets`).
    private static func encodeFloat32(_ raw: UnsafeRawBufferPointer, steps: UInt64, into offsets: inout [UInt8]) -> (q: Int, base: Int64)? {
        let count = raw.count / 4
        let (bad, lowest, largestExponent, smallestKey, largestKey) = raw.withValues(as: UInt32.self) { words in
            var bad: UInt32 = 0, lowest = Int32.max, largestExponent: UInt32 = 0
            // Floats as integers that sort as the floats do (no NaN gets past `bad`).
            var smallestKey = UInt32.max, largestKey: UInt32 = 0
            for word in words {
                let bits = UInt32(littleEndian: word)
                let exponent = bits >> 23 & 0xFF
                // Infinities and NaNs, and -0.0 (it would come back as 0.0).
                bad |= (exponent == 0xFF ? 1 : 0) | (bits == 0x8000_0000 ? 1 : 0)
                let significand = bits & 0x7F_FFFF | (exponent == 0 ? 0 : 0x80_0000)
                // The lowest set bit, and its exponent read off its own float (127 + log2).
                let lowBit = significand & (0 &- significand)
                let lowExponent = Int32(bitPattern: Float(Int32(bitPattern: lowBit)).bitPattern >> 23)
                let power = Int32(bitPattern: max(exponent, 1)) &+ lowExponent &- 277
                lowest = min(lowest, significand == 0 ? Int32.max : power)
                largestExponent = max(largestExponent, exponent)
                let key = bits ^ (bits >> 31 == 0 ? 0x8000_0000 : 0xFFFF_FFFF)
                smallestKey = min(smallestKey, key)
                largestKey = max(largestKey, key)
            }
            return (bad, lowest, largestExponent, smallestKey, largestKey)
        }
        guard bad == 0 else { return nil }
        let q = lowest == Int32.max ? 0 : Int(max(0, -lowest))
        // The largest magnitude is below 2^(exponent − 126): its multiple must stay under 2^53.
        guard Int(max(largestExponent, 1)) - 126 + q <= 53 else { return nil }
        func value(ofKey key: UInt32) -> Float { Float(bitPattern: key >> 31 == 1 ? key ^ 0x8000_0000 : ~key) }
        let smallest = value(ofKey: smallestKey)
        let scale = Double(sign: .plus, exponent: q, significand: 1)
        let base = count == 0 ? 0 : Double(smallest) * scale
        guard count == 0 || Double(value(ofKey: largestKey)) * scale - base < Double(steps) else { return nil }
        offsets.resize(to: 4 * count)
        offsets.withUnsafeMutableBytes { bytes in
            let offsets = bytes.bindMemory(to: UInt32.self)
            raw.withValues(as: Float.self) { values in
                if q <= 126, steps <= 1 << 24 {
                    // (value − smallest) × 2^q: the difference of two multiples of 2^−q fewer than 2^24 of them
                    // apart is exact in binary32, and so is the scaling; + 2^52 in binary64 puts the integer in
                    // the low bits, without a conversion that checks its range.
                    let factor = Float(sign: .plus, exponent: q, significand: 1)
                    for index in 0..<count {
                        let steps = Double((values[index] - smallest) * factor) + 0x1p52
                        offsets[index] = UInt32(truncatingIfNeeded: steps.bitPattern).littleEndian
                    }
                } else {
                    for index in 0..<count { offsets[index] = UInt32(Double(values[index]) * scale - base).littleEndian }
                }
            }
        }
        return (q, Int64(base))
    }

    /// The `f64` grid and offsets. Each nonzero value is s × 2^p with s
    /// odd: the grid needs q ≥ −p, and the integer s × 2^(p+q) must keep
    /// within 53 bits. Per value and not vectorized: no workload has such
    /// columns yet.
    private static func encodeFloat64(_ raw: UnsafeRawBufferPointer, steps: UInt64, into offsets: inout [UInt8]) -> (q: Int, base: Int64)? {
        let count = raw.count / 8
        func parts(_ index: Int) -> (negative: Bool, significand: UInt64, exponent: Int) {
            let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            let exponent = Int(bits >> 52 & 0x7FF), mantissa = bits & (1 << 52 - 1)
            return (bits >> 63 != 0, exponent == 0 ? mantissa : mantissa | 1 << 52, max(exponent, 1) - 1075)
        }
        var lowest = Int.max, highest = Int.min
        for index in 0..<count {
            let (negative, significand, exponent) = parts(index)
            guard exponent != 0x7FF - 1075 else { return nil }  // infinity or NaN
            guard significand != 0 else {
                if negative { return nil }  // -0.0 would come back as 0.0
                continue
            }
            let zeros = significand.trailingZeroBitCount
            lowest = min(lowest, exponent + zeros)
            highest = max(highest, exponent + 64 - significand.leadingZeroBitCount)
        }
        let q = lowest == Int.max ? 0 : max(0, -lowest)
        guard lowest == Int.max || highest + q <= 53 else { return nil }
        func multiple(_ index: Int) -> Int64 {
            let (negative, significand, exponent) = parts(index)
            let shift = exponent + q
            let magnitude = Int64(shift >= 0 ? significand << shift : significand >> -shift)
            return negative ? -magnitude : magnitude
        }
        var smallest = Int64.max, largest = Int64.min
        for index in 0..<count {
            let k = multiple(index)
            smallest = min(smallest, k)
            largest = max(largest, k)
        }
        if count == 0 { smallest = 0; largest = 0 }
        guard UInt64(largest - smallest) < steps else { return nil }
        offsets.resize(to: 4 * count)
        offsets.withUnsafeMutableBytes { bytes in
            for index in 0..<count {
                bytes.storeBytes(of: UInt32(truncatingIfNeeded: multiple(index) - smallest).littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return (q, smallest)
    }
}
