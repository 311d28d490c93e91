@testable import PackCodec
import Testing

@Suite struct FilterTests {
    static let integerTypes: [FieldType] = [.int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64]

    static func extremes(_ type: FieldType) -> Column {
        switch type {
        case .int8: Column([Int8.min, -1, 0, 1, Int8.max, Int8.min])
        case .int16: Column([Int16.min, -1, 0, 1, Int16.max, Int16.min])
        case .int32: Column([Int32.min, -1, 0, 1, Int32.max, Int32.min])
        case .int64: Column([Int64.min, -1, 0, 1, Int64.max, Int64.min])
        case .uint8: Column([UInt8.max, 0, 1, 200, UInt8.max, 0])
        case .uint16: Column([UInt16.max, 0, 1, 200, UInt16.max, 0])
        case .uint32: Column([UInt32.max, 0, 1, 200, UInt32.max, 0])
        default: Column([UInt64.max, 0, 1, 200, UInt64.max, 0])
        }
    }

    @Test("delta-varint round-trips the extremes of every integer type", arguments: integerTypes)
    func deltaVarintExtremes(type: FieldType) throws {
        let column = Self.extremes(type)
        var encoded: [UInt8] = []
        column.storage.withUnsafeBytes { DeltaVarint.encode($0, width: type.width!, signed: type.isSignedInteger, into: &encoded) }
        var decoded = [UInt8](repeating: 0, count: column.storage.count)
        let failure = encoded.withUnsafeBytes { source in decoded.withUnsafeMutableBytes { DeltaVarint.decode(source, width: type.width!, into: $0) } }
        #expect(failure == nil)
        #expect(decoded == column.storage)
    }

    @Test("sequential ids cost one byte each")
    func sequentialIDs() {
        let ids = (0..<1000).map { UInt64($0) }
        var encoded: [UInt8] = []
        ids.withUnsafeBytes { DeltaVarint.encode($0, width: 8, signed: false, into: &encoded) }
        #expect(encoded.count == 1000)
        // The first delta is 0 (zig-zag 0); every other is 1 (zig-zag 2).
        #expect(encoded == [0] + Array(repeating: 2, count: 999))
    }

    @Test("delta-varint refuses leftover bytes and over-long varints")
    func deltaVarintMalformed() {
        var out = [UInt8](repeating: 0, count: 8)
        let leftover: [UInt8] = [2, 2]
        #expect(leftover.withUnsafeBytes { s in out.withUnsafeMutableBytes { DeltaVarint.decode(s, width: 8, into: $0) } } != nil)
        let long = [UInt8](repeating: 0xFF, count: 11) + [0]
        #expect(long.withUnsafeBytes { s in out.withUnsafeMutableBytes { DeltaVarint.decode(s, width: 8, into: $0) } } != nil)
        let short: [UInt8] = [0x80]
        #expect(short.withUnsafeBytes { s in out.withUnsafeMutableBytes { DeltaVarint.decode(s, width: 8, into: $0) } } != nil)
    }

    @Test("shuffle groups byte planes and reverses exactly", arguments: [2, 3, 4, 8])
    func shuffle(width: Int) {
        let count = 37
        let raw = (0..<(width * count)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 3) }
        var shuffled = [UInt8](repeating: 0, count: raw.count)
        raw.withUnsafeBytes { s in shuffled.withUnsafeMutableBytes { ByteShuffle.shuffle(s, width: width, into: $0) } }
        // Plane b holds byte b of every value, in order.
        let planes = (0..<width).flatMap { byte in (0..<count).map { raw[$0 * width + byte] } }
        #expect(shuffled == planes)
        var back = [UInt8](repeating: 0, count: raw.count)
        shuffled.withUnsafeBytes { s in back.withUnsafeMutableBytes { ByteShuffle.unshuffle(s, width: width, into: $0) } }
        #expect(back == raw)
    }

    @Test("CRC-32 gives the standard check value of \"123456789\"")
    func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("codec arguments parse and print back", arguments: ["none", "lz4", "zstd:1", "zstd:19"])
    func codecArgument(text: String) {
        #expect(BlockCodec(codecArgument: text)?.description == text)
    }

    @Test("out-of-range codec arguments are refused", arguments: ["zstd:0", "zstd:20", "gzip", "zstd:", "zstd:x"])
    func badCodecArgument(text: String) {
        #expect(BlockCodec(codecArgument: text) == nil)
    }
}
