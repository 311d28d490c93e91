import Foundation
@testable import PackCodec
import Simulations
import Testing

/// Every single-byte corruption of a small file is either reported as a
/// typed error or, for bytes that do not carry data, leaves the data intact;
/// and `verify` reports every one of them.
@Suite struct CorruptionTests {
    enum Outcome: Equatable { case error, sameData, differentData }

    static func decode(_ bytes: [UInt8], key: EncryptionKey?) -> Outcome {
        do {
            let world = try SnapshotReader(bytes: bytes, key: key).readSnapshot()
            return world == TestWorlds.everyType ? .sameData : .differentData
        } catch {
            // Typed throws: the reader can only throw PackError.
            return .error
        }
    }

    static func verifyCatches(_ bytes: [UInt8], key: EncryptionKey?) -> Bool {
        guard let reader = try? SnapshotReader(bytes: bytes, key: key) else { return true }
        return reader.verify().firstProblem != nil
    }

    @Test("flipping any byte never yields different values; verify catches every flip", arguments: [
        BlockCodec.none, .lz4, .zstd(level: 3),
    ], SnapshotFormat.allCases)
    func everyByteFlip(codec: BlockCodec, format: SnapshotFormat) throws {
        let original = try TestWorlds.everyType.encoded(options: WriteOptions(codec: codec, format: format))
        for mask: UInt8 in [0xFF, 0x01, 0x80] {
            var silent: [Int] = []
            var missedByVerify: [Int] = []
            for offset in original.indices {
                var corrupt = original
                corrupt[offset] ^= mask
                if Self.decode(corrupt, key: nil) == .differentData { silent.append(offset) }
                if !Self.verifyCatches(corrupt, key: nil) { missedByVerify.append(offset) }
            }
            #expect(silent.isEmpty, "mask \(mask): offsets decoded to different values: \(silent)")
            // Only the minor version or the digest may change unnoticed by
            // the readers of data; the digest (which covers the header) catches both.
            #expect(missedByVerify.isEmpty, "mask \(mask): verify missed offsets \(missedByVerify)")
        }
    }

    @Test("flipping any byte of an encrypted file is caught with the key", arguments: SnapshotFormat.allCases)
    func encryptedFlips(format: SnapshotFormat) throws {
        let key = try EncryptionKey.random()
        let original = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .zstd(level: 3), key: key, format: format))
        for offset in original.indices {
            var corrupt = original
            corrupt[offset] ^= 0x01
            #expect(Self.decode(corrupt, key: key) != .differentData, "offset \(offset)")
            #expect(Self.verifyCatches(corrupt, key: key), "offset \(offset)")
        }
    }

    @Test("random flips in a larger file (W2, 20,000 entities) never yield different values", arguments: [
        BlockCodec.lz4, .zstd(level: 1),
    ], SnapshotFormat.allCases)
    func largeFileFlips(codec: BlockCodec, format: SnapshotFormat) throws {
        // 100 flips in `make test`; TICKSCOPE_SWEEP_FLIPS=10000 for the figures in docs/RELIABILITY.md.
        let flips = Int(ProcessInfo.processInfo.environment["TICKSCOPE_SWEEP_FLIPS"] ?? "") ?? 100
        let world = Workload.swarm.snapshot(entities: 20_000)
        let original = try world.encoded(options: WriteOptions(codec: codec, format: format))
        var seed: UInt64 = 11
        var errors = 0, identical = 0, silent: [Int] = []
        for _ in 0..<flips {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let offset = Int(seed >> 33) % original.count
            var corrupt = original
            corrupt[offset] ^= 0x01
            do {
                if try SnapshotReader(bytes: corrupt, key: nil).readSnapshot() == world { identical += 1 } else { silent.append(offset) }
            } catch {
                errors += 1
            }
        }
        #expect(silent.isEmpty, "offsets decoded to different values: \(silent.prefix(5))")
        Issue.record("native \(format), \(codec), \(original.count) bytes: \(flips) flips, \(errors) errors, \(identical) identical, \(silent.count) silent",
                     severity: .warning)
    }

    @Test("a corrupt block is named with its number and column; other columns still read", arguments: SnapshotFormat.allCases)
    func corruptBlockIsLocated(format: SnapshotFormat) throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none, format: format))
        let reader = try SnapshotReader(bytes: bytes)
        let target = reader.contents.archetypes[0].columnBlocks[9] // Kinds.f32
        var corrupt = bytes
        corrupt[Int(target.offset) + 1] ^= 0x40
        let damaged = try SnapshotReader(bytes: corrupt)
        let actual = Array(corrupt[Int(target.offset)..<Int(target.offset + target.storedLength)]).withUnsafeBytes { format.checksum($0) }
        let expected = Checksum(format.checksumAlgorithm, target.checksum)
        #expect(throws: PackError.checksumMismatch(block: 10, column: "Kinds.f32 of archetype 0", expected: expected, actual: actual)) {
            try damaged.column(archetype: 0, component: "Kinds", field: "f32")
        }
        #expect("\(actual)".hasPrefix(format == .version1 ? "CRC-32 " : "XXH3-64 "))
        #expect(try damaged.column(archetype: 0, component: "Kinds", field: "f64") == TestWorlds.everyType.archetypes[0].columns[10])
        #expect(damaged.verify().firstProblem == .checksumMismatch(
            block: 10, column: "Kinds.f32 of archetype 0", expected: expected, actual: actual))
    }

    @Test("a large plain block, checksummed as it is copied, reads back exactly and a flip anywhere in it is named",
          arguments: SnapshotFormat.allCases)
    func largePlainBlock(format: SnapshotFormat) throws {
        // 100,000 entities: 400 KB columns, past the size from which a plain block is hashed and copied in one pass.
        let world = Workload.swarm.snapshot(entities: 100_000)
        let bytes = try world.encoded(options: WriteOptions(codec: .none, format: format))
        #expect(try SnapshotReader(bytes: bytes).readSnapshot() == world)
        let reader = try SnapshotReader(bytes: bytes)
        #expect(reader.verify().firstProblem == nil)
        // Written as the encoder would: each block's checksum and statistics are the whole column's.
        for (index, descriptor) in reader.contents.archetypes[0].columnBlocks.enumerated() {
            let column = world.archetypes[0].columns[index]
            #expect(descriptor.codec == .none && descriptor.filter == .none && descriptor.storedLength == UInt64(column.storage.count))
            #expect(descriptor.checksum == column.storage.withUnsafeBytes { format.checksum($0).value })
            let whole = column.storage.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: column.type) }
            #expect(descriptor.statistics == (format == .version1 ? nil : whole))
        }
        let target = reader.contents.archetypes[0].columnBlocks[2]
        #expect(Int(target.storedLength) >= 256 * 1024)
        let label = reader.contents.label(ofBlock: 3)
        // The first byte, one in a middle chunk, the last byte.
        for offset in [0, Int(target.storedLength) / 2 + 12_345, Int(target.storedLength) - 1] {
            var corrupt = bytes
            corrupt[Int(target.offset) + offset] ^= 0x08
            let actual = Array(corrupt[Int(target.offset)..<Int(target.offset + target.storedLength)]).withUnsafeBytes { format.checksum($0) }
            let expected = Checksum(format.checksumAlgorithm, target.checksum)
            let damaged = try SnapshotReader(bytes: corrupt)
            #expect(throws: PackError.checksumMismatch(block: 3, column: label, expected: expected, actual: actual)) {
                try damaged.readSnapshot()
            }
            #expect(try damaged.column(archetype: 0, index: 3) == world.archetypes[0].columns[3])
        }
    }

    @Test("a large plain block's bounds, taken a chunk at a time, are the whole column's to the sign of zero")
    func chunkedBoundsKeepTheSignOfZero() throws {
        // +0 in the first half, -0 in the second: a chunk at a time, the
        // bounds must still come out as -0 and +0 (the order a whole
        // column's keys give), and the other way round.
        for firstHalfNegative in [false, true] {
            let values = (0..<100_000).map { index -> Float in (index < 50_000) == firstHalfNegative ? -0.0 : 0.0 }
            let world = Snapshot(
                schema: Schema(components: [ComponentType(name: "Z", fields: [Field("v", .float32)])]),
                archetypes: [Archetype(components: [ComponentType(name: "Z", fields: [Field("v", .float32)])],
                                       entities: (1...100_000).map { EntityID(rawValue: UInt64($0)) }, columns: [Column(values)])])
            let reader = try SnapshotReader(bytes: try world.encoded(options: WriteOptions(codec: .none)))
            let statistics = try #require(reader.contents.archetypes[0].columnBlocks[0].statistics)
            guard case .float(let low) = statistics.minimum, case .float(let high) = statistics.maximum else {
                Issue.record("not float bounds: \(statistics)")
                continue
            }
            #expect(low.sign == .minus && high.sign == .plus, "bounds \(low) and \(high)")
            #expect(reader.verify().firstProblem == nil)
        }
    }
}
