import PackCodec

/// A TKSN snapshot: the `.snap` files of tick-frame-space's Java simulator
/// (docs/FORMATS.md). A 32-byte big-endian header (`TKSN`, version 1, tick,
/// entity count, dimension count, reserved), then per entity ZigZag VarLongs:
/// position[D], energy, generation, momentum cost, momentum[D], birth tick.
/// The whole file may be one gzip member, told by its first two bytes.
///
/// TKSN stores no entity ids: Tickscope numbers entities by their record
/// index, so the same id in two TKSN files need not be the same entity.
public struct TKSNSnapshot: Equatable, Sendable {
    /// The header's tick (signed, as Java's `long`).
    public var tick: Int64
    /// Dimensions of every position and momentum vector.
    public var dimensions: Int
    /// `positions[d][i]`: coordinate `d` of entity `i`.
    public var positions: [[Int64]]
    public var energy: [Int64]
    public var generation: [Int64]
    public var momentumCost: [Int64]
    /// `momentum[d][i]`.
    public var momentum: [[Int64]]
    public var birth: [Int64]

    /// The number of entities.
    public var count: Int { energy.count }

    static let magic: [UInt8] = Array("TKSN".utf8)
    static let headerSize = 32
    /// More dimensions than any simulation has; a header claiming more is damaged.
    static let maxDimensions = 1024

    public init(tick: Int64, dimensions: Int, positions: [[Int64]], energy: [Int64], generation: [Int64],
                momentumCost: [Int64], momentum: [[Int64]], birth: [Int64]) {
        self.tick = tick
        self.dimensions = dimensions
        self.positions = positions
        self.energy = energy
        self.generation = generation
        self.momentumCost = momentumCost
        self.momentum = momentum
        self.birth = birth
    }

    /// Whether `bytes` start like a TKSN file: `TKSN`, or a gzip member
    /// (which `read` then checks for `TKSN` inside).
    public static func isTKSN(_ prefix: [UInt8]) -> Bool { prefix.starts(with: magic) }

    /// Reads a file's bytes, raw or gzip.
    /// - Throws: ``InteropError/malformed(_:)`` with the offset and what is wrong.
    public static func read(_ file: [UInt8]) throws(InteropError) -> TKSNSnapshot {
        var bytes = file
        if file.starts(with: [0x1F, 0x8B]) {
            // A header's counts bound the plain size; 1 GB is more than any real file.
            bytes = try Zlib.inflate(file, wrapper: .gzip, limit: 1 << 30)
        }
        guard bytes.count >= headerSize else { throw .malformed("\(bytes.count) bytes is shorter than the 32-byte TKSN header") }
        guard bytes.starts(with: magic) else { throw .malformed("no TKSN magic at offset 0") }
        // Java's DataOutputStream: big-endian. The header is all there (checked above).
        func field<T: FixedWidthInteger>(_ at: Int, _: T.Type) throws(InteropError) -> T {
            var position = at
            do { return try bytes.integer(advancing: &position, as: T.self, .bigEndian) } catch {
                throw .malformed("the header ends inside the field at offset \(at)")
            }
        }
        let version = try field(4, Int32.self)
        guard version == 1 else { throw .malformed("version \(version) at offset 4; only version 1 exists") }
        let tick = try field(8, Int64.self), count = Int(try field(16, Int32.self)), dimensions = Int(try field(20, Int32.self))
        guard count >= 0 else { throw .malformed("negative entity count \(count) at offset 16") }
        guard dimensions > 0, dimensions <= maxDimensions else { throw .malformed("dimension count \(dimensions) at offset 20 is not 1-\(maxDimensions)") }
        // Every record takes at least one byte per field.
        let fields = 2 * dimensions + 4
        guard count <= (bytes.count - headerSize) / fields else {
            throw .malformed("\(count) entities of at least \(fields) bytes each do not fit in the \(bytes.count - headerSize) bytes after the header")
        }
        var snapshot = TKSNSnapshot(
            tick: tick, dimensions: dimensions, positions: Array(repeating: [], count: dimensions), energy: [], generation: [],
            momentumCost: [], momentum: Array(repeating: [], count: dimensions), birth: [])
        // The records: zigzag VarLongs (LEB128 groups), read by PackCodec's `ByteReader` in one pass.
        let result = bytes.withUnsafeBytes { raw -> Result<Void, InteropError> in
            var reader = ByteReader(raw, range: headerSize..<raw.count)
            func next() throws(InteropError) -> Int64 {
                do {
                    let value = try reader.readVarUInt64()
                    return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
                } catch {
                    switch error {
                    case .malformed(let at, _): throw .malformed("a VarLong longer than 64 bits ends at offset \(at)")
                    default: throw .malformed("the file ends inside a VarLong at offset \(raw.count)")
                    }
                }
            }
            do throws(InteropError) {
                for _ in 0..<count {
                    for d in 0..<dimensions { snapshot.positions[d].append(try next()) }
                    snapshot.energy.append(try next())
                    snapshot.generation.append(try next())
                    snapshot.momentumCost.append(try next())
                    for d in 0..<dimensions { snapshot.momentum[d].append(try next()) }
                    snapshot.birth.append(try next())
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        return snapshot
    }

    /// The file's bytes, gzip-compressed when asked (as Java's default).
    public func encoded(gzip: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerSize + count * (2 * dimensions + 4) * 3)
        func int32(_ v: Int32) { for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> Int32(shift))) } }
        func int64(_ v: Int64) { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> Int64(shift))) } }
        func varLong(_ v: Int64) {
            var e = UInt64(bitPattern: (v << 1) ^ (v >> 63))
            while e >= 0x80 { bytes.append(UInt8(e & 0x7F) | 0x80); e >>= 7 }
            bytes.append(UInt8(e))
        }
        bytes.append(contentsOf: Self.magic)
        int32(1)
        int64(tick)
        int32(Int32(count))
        int32(Int32(dimensions))
        int64(0)
        for i in 0..<count {
            for d in 0..<dimensions { varLong(positions[d][i]) }
            varLong(energy[i])
            varLong(generation[i])
            varLong(momentumCost[i])
            for d in 0..<dimensions { varLong(momentum[d][i]) }
            varLong(birth[i])
        }
        return gzip ? Zlib.deflate(bytes, wrapper: .gzip) : bytes
    }
}
