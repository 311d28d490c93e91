import Foundation
import Simulations
@testable import PackCodec
import Testing

/// Pins the native format byte for byte (docs/FORMAT.md). If one of these
/// fails, the format changed: that needs a version bump, not a new golden
/// file. Regenerate only on purpose: TICKSCOPE_REGENERATE_GOLDEN=1 swift test.
@Suite struct GoldenBytesTests {
    static let cases: [(String, WriteOptions)] = [
        ("golden-v3-none.tscp", WriteOptions(codec: .none)),
        ("golden-v3-zstd3.tscp", WriteOptions(codec: .zstd(level: 3))),
        ("golden-v3-lz4.tscp", WriteOptions(codec: .lz4)),
        // Format 2, pinned when it was current: still written on request, read and verified forever.
        ("golden-v2-none.tscp", WriteOptions(codec: .none, format: .version2)),
        ("golden-v2-zstd3.tscp", WriteOptions(codec: .zstd(level: 3), format: .version2)),
        ("golden-v2-lz4.tscp", WriteOptions(codec: .lz4, format: .version2)),
        // Format 1, pinned when it was current: still written on request, read and verified forever.
        ("golden-v1-none.tscp", WriteOptions(codec: .none, format: .version1)),
        ("golden-v1-zstd3.tscp", WriteOptions(codec: .zstd(level: 3), format: .version1)),
        ("golden-v1-lz4.tscp", WriteOptions(codec: .lz4, format: .version1)),
    ]

    static func goldenURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    }

    @Test("the small world's file matches the pinned bytes, and the pinned file reads and verifies", arguments: 0..<cases.count)
    func pinned(index: Int) throws {
        let (name, options) = Self.cases[index]
        let bytes = try TestWorlds.everyType.encoded(options: options)
        let url = Self.goldenURL(name)
        if ProcessInfo.processInfo.environment["TICKSCOPE_REGENERATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: url)
        }
        let golden = [UInt8](try Data(contentsOf: url))
        #expect(bytes.count == golden.count)
        let first = zip(bytes, golden).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(first == nil, "first differing byte at offset \(first ?? -1)")
        let reader = try SnapshotReader(bytes: golden)
        #expect(reader.format == options.format)
        #expect(try reader.readSnapshot() == TestWorlds.everyType)
        #expect(reader.verify().firstProblem == nil)
    }

    @Test("the header is magic, the format's major version, minor 0, no flags, zero key check", arguments: SnapshotFormat.allCases)
    func headerBytes(format: SnapshotFormat) throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none, format: format))
        #expect(Array(bytes[0..<16]) == Array("TSCPSNAP".utf8) + [UInt8(format.rawValue), 0, 0, 0, 0, 0, 0, 0])
        #expect(bytes[16..<32].allSatisfy { $0 == 0 })
        #expect(Array(bytes.suffix(8)) == Array("TSCPEND\0".utf8))
    }

    @Test("an uncompressed block holds the column's little-endian bytes as they are, with the format's checksum", arguments: SnapshotFormat.allCases)
    func rawBlockLayout(format: SnapshotFormat) throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none, format: format))
        let reader = try SnapshotReader(bytes: bytes)
        let idBlock = reader.contents.archetypes[0].entityBlock
        #expect(idBlock.offset == 32)
        #expect(Array(bytes[32..<56]) == FileSurgery.littleEndian(UInt64(10)) + FileSurgery.littleEndian(UInt64(3)) + FileSurgery.littleEndian(UInt64(1 << 40)))
        let expected = format == .version1 ? UInt64(CRC32.checksum(Array(bytes[32..<56]))) : XXH3.checksum(Array(bytes[32..<56]))
        #expect(idBlock.checksum == expected)
    }

    @Test("XXH3-64 is the system libxxhash's: the published value of the empty input")
    func xxh3KnownValue() {
        #expect(XXH3.checksum([UInt8]()) == 0x2D06_8005_38D3_94C2)
    }

    static let encoding: [UInt8] = [0x02, 0x01, 0, 0, 0, 0, 0, 0] + [0x04, 0x03, 0, 0, 0, 0, 0, 0] + [0x06, 0x05, 0, 0, 0, 0, 0, 0] + [2, 9, 1, 0]

    @Test("an encrypted block's associated data is laid out as docs/FORMAT.md says; a format 1 descriptor is 40 bytes")
    func associatedData() {
        let descriptor = BlockDescriptor(
            offset: 999, storedLength: 0x0102, encodedLength: 0x0304, rawLength: 0x0506,
            codec: .zstd(level: 9), filter: .shuffle, checksum: 0xDEAD_BEEF)
        let expected: [UInt8] = Array("TSCPBLK1".utf8) + [7, 0, 0, 0, 0, 0, 0, 0] + Self.encoding
        #expect(descriptor.authenticatedData(blockIndex: 7) == expected)
        var writer = ByteWriter()
        descriptor.write(to: &writer, format: .version1)
        #expect(writer.bytes == [0xE7, 0x03, 0, 0, 0, 0, 0, 0] + Self.encoding + [0xEF, 0xBE, 0xAD, 0xDE])
    }

    @Test("a format 2 descriptor is 48 bytes, and 72 with statistics: min, max, NaN count")
    func descriptorVersion2() throws {
        var descriptor = BlockDescriptor(
            offset: 999, storedLength: 0x0102, encodedLength: 0x0304, rawLength: 0x0506,
            codec: .zstd(level: 9), filter: .shuffle, checksum: 0x0102_0304_0506_0708)
        var writer = ByteWriter()
        descriptor.write(to: &writer, format: .version2)
        let plain = [0xE7, 0x03, 0, 0, 0, 0, 0, 0] + Self.encoding + [0, 0, 0, 0] + [8, 7, 6, 5, 4, 3, 2, 1]
        #expect(writer.bytes == plain)
        descriptor.statistics = ColumnStatistics(minimum: .float(-1.5), maximum: .float(2), nanCount: 3)
        writer = ByteWriter()
        descriptor.write(to: &writer, format: .version2)
        var withStatistics = plain
        withStatistics[36] = 1
        withStatistics += FileSurgery.littleEndian((-1.5).bitPattern) + FileSurgery.littleEndian((2.0).bitPattern) + FileSurgery.littleEndian(UInt64(3))
        #expect(writer.bytes == withStatistics)
        let read = try withStatistics.withBytes { (bytes) throws(PackError) in
            var reader = ByteReader(bytes)
            return try BlockDescriptor.read(from: &reader, format: .version2, type: .float32, count: 5)
        }
        #expect(read == descriptor)
    }

    @Test("format 2 keeps the statistics of every numeric block of an unencrypted file, NaNs counted apart")
    func statistics() throws {
        let reader = try SnapshotReader(bytes: try TestWorlds.everyType.encoded())
        let kinds = reader.contents.archetypes[0]
        func statistics(_ field: String) -> ColumnStatistics? {
            kinds.columnBlocks[kinds.columnKeys.firstIndex(of: ColumnKey(component: "Kinds", field: field))!].statistics
        }
        #expect(kinds.entityBlock.statistics == ColumnStatistics(minimum: .unsigned(3), maximum: .unsigned(1 << 40), nanCount: 0))
        #expect(statistics("flag") == nil && statistics("text") == nil && statistics("blob") == nil)
        #expect(statistics("i8") == ColumnStatistics(minimum: .signed(-128), maximum: .signed(127), nanCount: 0))
        #expect(statistics("u64") == ColumnStatistics(minimum: .unsigned(0), maximum: .unsigned(.max), nanCount: 0))
        #expect(statistics("f32") == ColumnStatistics(minimum: .float(-.infinity), maximum: .float(0), nanCount: 1))
        #expect(statistics("f64") == ColumnStatistics(minimum: .float(0.1), maximum: .float(.infinity), nanCount: 1))
        // Archetype 1's f32 column is one NaN: no bound, every value counted.
        let single = reader.contents.archetypes[1]
        #expect(single.columnBlocks[9].statistics == ColumnStatistics(minimum: .float(.infinity), maximum: .float(-.infinity), nanCount: 1))
        // No block of an empty archetype, and none of an encrypted file, has statistics.
        #expect(reader.contents.archetypes[2].entityBlock.statistics == nil)
        let encrypted = try SnapshotReader(bytes: try TestWorlds.everyType.encoded(options: WriteOptions(key: try EncryptionKey.random())))
        #expect(encrypted.contents.blocks.allSatisfy { $0.statistics == nil })
    }

    @Test("the footer's digest: format 1, of every byte before it; format 2, of the header and the table of contents")
    func digest() throws {
        let old = try TestWorlds.everyType.encoded(options: WriteOptions(format: .version1))
        let oldStart = old.count - 88 + 48
        #expect(SHA256Hasher.hash(Array(old[0..<oldStart])) == Array(old[oldStart..<oldStart + 32]))
        let bytes = try TestWorlds.everyType.encoded()
        let table = FileSurgery.tableRange(bytes)
        #expect(table.upperBound == bytes.count - 96)
        #expect(SHA256Hasher.hash(Array(bytes[0..<32]) + Array(bytes[table])) == Array(bytes[bytes.count - 40..<bytes.count - 8]))
        #expect(XXH3.checksum(Array(bytes[table])) == bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: table.upperBound + 16, as: UInt64.self) })
    }
}

/// Large compressed columns are encoded two at a time (the second on
/// another thread); the file must be the one writing them one after the
/// other gives, byte for byte.
@Suite struct ConcurrentEncodingTests {
    @Test("W2 at 100,000 entities: two columns at a time writes the same bytes as one at a time", arguments: [
        WriteOptions(codec: .zstd(level: 1)), WriteOptions(codec: .lz4), WriteOptions(codec: .zstd(level: 3), format: .version2),
    ])
    func sameBytes(options: WriteOptions) throws {
        let world = Workload.swarm.snapshot(entities: 100_000)
        #expect(world.archetypes[0].columns.allSatisfy { $0.storage.count >= SnapshotWriter.parallelThreshold })
        func written(twoAtOnce: Bool) throws -> [UInt8] {
            let sink = MemorySink()
            let writer = try SnapshotWriter(sink: sink, schema: world.schema, resources: world.resources, metadata: world.metadata,
                                            options: options, encodesTwoAtOnce: twoAtOnce)
            for archetype in world.archetypes { try writer.append(archetype) }
            try writer.finish()
            return sink.bytes
        }
        let paired = try written(twoAtOnce: true), single = try written(twoAtOnce: false)
        #expect(paired.count == single.count)
        #expect(paired == single, "first differing byte at \(zip(paired, single).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
        #expect(try SnapshotReader(bytes: paired).readSnapshot() == world)
    }

    @Test("an encrypted file whose columns were sealed two at a time reads back exactly and verifies with its key")
    func encrypted() throws {
        let world = Workload.swarm.snapshot(entities: 100_000)
        let key = try EncryptionKey.random()
        let bytes = try world.encoded(options: WriteOptions(codec: .zstd(level: 1), key: key))
        let reader = try SnapshotReader(bytes: bytes, key: key)
        #expect(try reader.readSnapshot() == world)
        let report = reader.verify()
        #expect(report.firstProblem == nil && report.isAuthenticated && report.blocks.count == 1 + world.archetypes[0].columns.count)
    }
}
