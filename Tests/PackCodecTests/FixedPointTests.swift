import Foundation
@testable import PackCodec
import Simulations
import Testing

/// The fixed-point filter (docs/FORMAT.md, "Filters"; format 3, store 1.6): float columns on one power-of-two grid come back bit for bit, the
/// writer falls back to shuffle whenever the values do not allow it, the
/// encoded bytes are as the format says, and hostile encodings are refused
/// with a reason.
@Suite struct FixedPointTests {
    private static func bytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    private static func roundTrip(_ raw: [UInt8], type: FieldType) -> [UInt8]? {
        var encoded: [UInt8] = [], scratch: [UInt8] = []
        guard raw.withUnsafeBytes({ FixedPoint.encode($0, type: type, scratch: &scratch, into: &encoded) }) else { return nil }
        var decoded = [UInt8](repeating: 0xAA, count: raw.count)
        let failure = encoded.withUnsafeBytes { source in decoded.withUnsafeMutableBytes { FixedPoint.decode(source, type: type, into: $0) } }
        #expect(failure == nil)
        return decoded
    }

    @Test("the encoded bytes: u16 q, i64 base, then the u32 offsets byte-shuffled")
    func layout() {
        var encoded: [UInt8] = [], scratch: [UInt8] = []
        let raw = Self.bytes([Float(0.5), -1.25, 3.0])
        #expect(raw.withUnsafeBytes { FixedPoint.encode($0, type: .float32, scratch: &scratch, into: &encoded) })
        // 0.5, -1.25 and 3.0 are 2, -5 and 12 quarters: q = 2, base -5, offsets 7, 0, 17.
        let expected: [UInt8] = [2, 0] + [0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
            + [7, 0, 17] + [0, 0, 0] + [0, 0, 0] + [0, 0, 0]
        #expect(encoded == expected)
    }

    @Test("floats on a grid come back bit for bit: generator output, whole numbers, subnormals, zero, both signs")
    func roundTrips() {
        var random = SplitMix64(state: 7)
        func unit() -> Double { Double(random.next() >> 40) / Double(1 << 24) }
        let cases: [[Float]] = [
            (0..<1000).map { _ in Float(unit() * 2 - 1) },
            (0..<1000).map { _ in Float(unit()) * 16 },
            (0..<1000).map { _ in (Float(unit()) * 101).rounded(.down) },
            [0, Float.leastNonzeroMagnitude, -Float.leastNonzeroMagnitude * 3, 0, Float.leastNonzeroMagnitude * 1000],
            [-Float(1 << 8), 0x1p-8, Float(1 << 15) + 1],
            [],
        ]
        for values in cases {
            let raw = Self.bytes(values)
            #expect(Self.roundTrip(raw, type: .float32) == raw, "\(values.prefix(4))")
        }
        let doubles: [[Double]] = [
            (0..<1000).map { _ in unit() * 4096 - 2048 },
            [0, 1e9, -1e9, 0.5],
            [Double.leastNonzeroMagnitude, Double.leastNonzeroMagnitude * 9],
        ]
        for values in doubles {
            let raw = Self.bytes(values)
            #expect(Self.roundTrip(raw, type: .float64) == raw, "\(values.prefix(4))")
        }
    }

    @Test("values off every grid are left to shuffle: NaN, infinity, -0.0, more than 53 bits, more than 2^32 steps")
    func refusals() {
        let floats: [[Float]] = [
            [1, .nan], [.infinity], [1, -0.0], [Float.leastNonzeroMagnitude, 1], [Float.greatestFiniteMagnitude], [0, 0x1p24],
        ]
        for values in floats { #expect(Self.roundTrip(Self.bytes(values), type: .float32) == nil, "\(values)") }
        #expect(Self.roundTrip(Self.bytes([0.1, 1e300] as [Double]), type: .float64) == nil)
        #expect(Self.roundTrip(Self.bytes([0, 1e15, -1e15, 0.5] as [Double]), type: .float64) == nil)  // 4e15 halves apart
        #expect(Self.roundTrip(Self.bytes([0, 0x1p24 - 1] as [Float]), type: .float32) != nil)  // f32: at most 2^24 steps
        #expect(Self.roundTrip(Self.bytes([0, 0x1p32 - 1] as [Double]), type: .float64) != nil)  // f64: at most 2^32 steps
        #expect(Self.roundTrip(Self.bytes([UInt32(1)]), type: .uint32) == nil)
    }

    @Test("hostile encodings are refused with a reason: a scale finer than the type, a short block, an overflowing offset")
    func hostileEncodings() {
        func decode(_ encoded: [UInt8], type: FieldType, count: Int) -> String? {
            var raw = [UInt8](repeating: 0, count: count * type.width!)
            return encoded.withUnsafeBytes { source in raw.withUnsafeMutableBytes { FixedPoint.decode(source, type: type, into: $0) } }
        }
        let oneOffset: [UInt8] = [1, 0, 0, 0]
        #expect(decode([150, 0] + [UInt8](repeating: 0, count: 8) + oneOffset, type: .float32, count: 1)?.contains("finer than the smallest") == true)
        #expect(decode([0, 0] + [UInt8](repeating: 0, count: 8), type: .float32, count: 1)?.contains("10 bytes for 1 values") == true)
        let largest = Self.bytes([Int64.max])
        #expect(decode([0, 0] + largest + oneOffset, type: .float64, count: 1)?.contains("overflows") == true)
    }

    @Test("W2's columns on one grid are written fixed-point and its positions x and y shuffled; the file reads back exactly")
    func writerChoosesPerColumn() throws {
        let world = Workload.swarm.snapshot(entities: 5_000)
        let bytes = try world.encoded(options: WriteOptions(codec: .zstd(level: 1)))
        let reader = try SnapshotReader(bytes: bytes)
        let filters = reader.contents.archetypes[0].columnBlocks.map(\.filter)
        // Position.x and .y add a whole part to fractions of 2^-24: more than 2^24 steps apart, so shuffled;
        // z, the velocities and health are 24-bit fractions scaled, or whole numbers.
        #expect(filters == [.shuffle, .shuffle, .fixedPoint, .fixedPoint, .fixedPoint, .fixedPoint, .fixedPoint])
        #expect(Array(bytes[8..<12]) == [3, 0, 0, 0])
        #expect(try reader.readSnapshot() == world)
        #expect(reader.verify().firstProblem == nil)
        // Without a codec, without filters, or in formats 1 and 2: no fixed-point block.
        let others = [
            WriteOptions(codec: .none), WriteOptions(codec: .zstd(level: 1), usesFilters: false),
            WriteOptions(codec: .zstd(level: 1), format: .version1), WriteOptions(codec: .zstd(level: 1), format: .version2),
        ]
        for options in others {
            let plain = try world.encoded(options: options)
            let reader = try SnapshotReader(bytes: plain)
            #expect(!reader.contents.archetypes[0].columnBlocks.contains { $0.filter == .fixedPoint })
            #expect(try reader.readSnapshot() == world)
        }
    }

    @Test("formats 1 and 2 have no fixed-point filter: such a file that names it is malformed, with the descriptor's offset", arguments: [SnapshotFormat.version1, .version2])
    func notBeforeFormat3(format: SnapshotFormat) throws {
        let world = Workload.swarm.snapshot(entities: 100)
        let bytes = try world.encoded(options: WriteOptions(codec: .none, format: format))
        let block = try SnapshotReader(bytes: bytes).contents.archetypes[0].columnBlocks[2]  // Position.z
        let key = FileSurgery.littleEndian(block.offset) + FileSurgery.littleEndian(block.storedLength)
        let table = FileSurgery.tableRange(bytes)
        let descriptor = try #require((table.lowerBound..<table.upperBound - 16).first { Array(bytes[$0..<$0 + 16]) == key })
        let corrupt = FileSurgery.patch(bytes, at: descriptor + 34, with: [ByteFilter.fixedPoint.rawValue])
        #expect(throws: PackError.malformed(offset: descriptor, reason: "filter fixed-point does not exist before format 3")) {
            try SnapshotReader(bytes: corrupt)
        }
    }

    @Test("a format 3 file with fixed-point blocks is pinned byte for byte (W2, 64 entities, zstd:3)")
    func golden() throws {
        var world = Workload.swarm.snapshot(entities: 64)
        world.metadata["golden"] = "format 3, fixed-point"
        let bytes = try world.encoded(options: WriteOptions(codec: .zstd(level: 3)))
        let url = GoldenBytesTests.goldenURL("golden-v3-fixed-point-zstd3.tscp")
        if ProcessInfo.processInfo.environment["TICKSCOPE_REGENERATE_GOLDEN"] == "1" { try Data(bytes).write(to: url) }
        let golden = [UInt8](try Data(contentsOf: url))
        #expect(bytes == golden)
        #expect(try SnapshotReader(bytes: golden).readSnapshot() == world)
    }
}
