import CStreamingCopy
@testable import PackCodec
import Simulations
import Testing

@Suite struct RoundTripTests {
    static let codecs: [BlockCodec] = [.none, .lz4, .zstd(level: 1), .zstd(level: 19)]

    @Test("every field type round-trips bit-exactly", arguments: codecs, [true, false])
    func everyType(codec: BlockCodec, filters: Bool) throws {
        let world = TestWorlds.everyType
        try world.validate()
        let bytes = try world.encoded(options: WriteOptions(codec: codec, usesFilters: filters))
        let decoded = try SnapshotReader(bytes: bytes).readSnapshot()
        #expect(decoded == world)
        let f32 = decoded.archetypes[0].column(component: "Kinds", field: "f32")!.values(as: Float.self)
        #expect(f32.map(\.bitPattern) == [0x7FC0_0001, (-Float.infinity).bitPattern, (-0.0 as Float).bitPattern])
        #expect(decoded.archetypes[0].column(component: "Kinds", field: "text")!.value(at: 2) == .string("日本語 🦀"))
    }

    @Test("an encrypted world round-trips with its key", arguments: codecs)
    func encrypted(codec: BlockCodec) throws {
        let key = try EncryptionKey.random()
        let world = TestWorlds.everyType
        let bytes = try world.encoded(options: WriteOptions(codec: codec, key: key))
        #expect(try SnapshotReader(bytes: bytes, key: key).readSnapshot() == world)
    }

    @Test("an empty world round-trips")
    func emptyWorld() throws {
        let bytes = try TestWorlds.empty.encoded()
        // Header, a 40-byte table of contents (no components, resources, no pairs, no archetypes), footer.
        #expect(bytes.count == 32 + 40 + 96)
        #expect(try TestWorlds.empty.encoded(options: WriteOptions(format: .version1)).count == 32 + 40 + 88)
        #expect(try SnapshotReader(bytes: bytes).readSnapshot() == TestWorlds.empty)
    }

    @Test("tag components without fields, and archetypes without columns, round-trip", arguments: codecs)
    func tagsWithoutFields(codec: BlockCodec) throws {
        let tag = ComponentType(name: "Selected", fields: [])
        let health = ComponentType(name: "Health", fields: [Field("value", .float32)])
        let world = Snapshot(schema: Schema(components: [tag, health]), archetypes: [
            Archetype(components: [tag], entities: [EntityID(1), EntityID(2)], columns: []),
            Archetype(components: [], entities: [EntityID(3)], columns: []),
            Archetype(components: [tag, health], entities: [EntityID(4)], columns: [Column([Float(5)])]),
        ])
        try world.validate()
        #expect(try SnapshotReader(bytes: world.encoded(options: WriteOptions(codec: codec))).readSnapshot() == world)
    }

    @Test("one entity round-trips")
    func oneEntity() throws {
        let world = Workload.swarm.snapshot(entities: 1)
        #expect(try SnapshotReader(bytes: world.encoded()).readSnapshot() == world)
    }

    @Test("many archetypes round-trip in order")
    func manyArchetypes() throws {
        let components = (0..<12).map { ComponentType(name: "C\($0)", fields: [Field("v", .int32)]) }
        var archetypes: [Archetype] = []
        var next: UInt64 = 0
        for mask in 1..<64 {
            let chosen = components.enumerated().filter { mask & (1 << ($0.offset % 6)) != 0 && $0.offset < 6 }.map(\.element)
            let ids = (0..<UInt64(mask % 5)).map { EntityID(next + $0) }
            next += 5
            archetypes.append(Archetype(components: chosen, entities: ids, columns: chosen.map { _ in Column(ids.map { Int32(truncatingIfNeeded: $0.rawValue) }) }))
        }
        let world = Snapshot(schema: Schema(components: components), archetypes: archetypes)
        try world.validate()
        let reader = try SnapshotReader(bytes: world.encoded(options: WriteOptions(codec: .lz4)))
        #expect(reader.contents.archetypes.count == 63)
        #expect(try reader.readSnapshot() == world)
    }

    @Test("the same world always writes the same bytes", arguments: codecs)
    func deterministic(codec: BlockCodec) throws {
        let options = WriteOptions(codec: codec)
        #expect(try TestWorlds.everyType.encoded(options: options) == TestWorlds.everyType.encoded(options: options))
    }

    @Test("encrypting the same world twice gives different bytes")
    func encryptionUsesFreshNonces() throws {
        let options = WriteOptions(key: try EncryptionKey.random())
        #expect(try TestWorlds.everyType.encoded(options: options) != TestWorlds.everyType.encoded(options: options))
    }

    @Test("a file on disk reads back through the memory map")
    func fileOnDisk() throws {
        let path = "/tmp/tickscope-roundtrip-\(getpid()).tscp"
        defer { unlink(path) }
        let world = Workload.swarm.snapshot(entities: 5_000)
        let summary = try world.write(to: path)
        let reader = try SnapshotReader(path: path)
        #expect(reader.byteCount == summary.byteCount)
        #expect(reader.footer.digest == summary.digest)
        #expect(try reader.readSnapshot() == world)
        #expect(access(path + ".tmp-\(getpid())", F_OK) != 0, "the temporary file is gone after commit")
    }

    @Test("a file written without codec, its space allocated ahead, holds exactly the bytes written, none past them",
          arguments: [SnapshotFormat.version1, .version2])
    func reservedFileHoldsTheBytes(format: SnapshotFormat) throws {
        let path = "/tmp/tickscope-reserved-\(getpid())-\(format.rawValue).tscp"
        defer { unlink(path) }
        // Fixed-width and variable-width columns: the space asked for is
        // the fixed-width part, less than the file.
        for world in [Workload.swarm.snapshot(entities: 5_000), TestWorlds.everyType] {
            let options = WriteOptions(codec: .none, format: format)
            try world.write(to: path, options: options)
            let written = try FileInput.readAll(path: path, limit: 1 << 30)
            #expect(written == (try world.encoded(options: options)), "the file is the bytes the writer sends, no more")
            var status = stat()
            #expect(stat(path, &status) == 0 && Int(status.st_size) == written.count)
            #expect(try SnapshotReader(path: path).readSnapshot() == world)
        }
    }

    @Test("a world past the size read around the cache comes back exactly, its large plain blocks copied by the streaming copy")
    func largeWorldReadAroundTheCache() throws {
        // 480,000 entities of 36 bytes: 17 MB, past the 16 MiB from which a whole read stores around the cache,
        // with blocks of 1.9 and 3.8 MB (past the fused copy's 256 KiB).
        let world = Workload.swarm.snapshot(entities: 480_000)
        #expect(UInt64(world.archetypes.reduce(0) { $0 + $1.count * 36 }) >= SnapshotReader.aroundTheCacheThreshold)
        let bytes = try world.encoded(options: WriteOptions(codec: .none, usesFilters: false))
        let reader = try SnapshotReader(bytes: bytes)
        #expect(try reader.readSnapshot() == world)
        // A byte changed in a block is still caught on the way through.
        var damaged = bytes
        let block = reader.contents.archetypes[0].columnBlocks[3]
        damaged[Int(block.offset) + Int(block.storedLength) / 2] ^= 0x10
        #expect(throws: PackError.self) { try SnapshotReader(bytes: damaged).readSnapshot() }
    }

    @Test("the streaming copy copies every byte at every alignment and length, heads and tails included")
    func streamingCopy() {
        let source = (0..<4_200).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for offset in 0..<17 {
            for count in [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1_000, 4_096, 4_100 - offset] where offset + count <= source.count {
                var destination = [UInt8](repeating: 0xEE, count: count + 34)
                source.withUnsafeBytes { from in
                    destination.withUnsafeMutableBytes { to in
                        tickscope_copy_streaming(to.baseAddress! + offset % 16 + 1, from.baseAddress! + offset, count)
                    }
                }
                let start = offset % 16 + 1
                #expect(Array(destination[start..<start + count]) == Array(source[offset..<offset + count]), "offset \(offset), \(count) bytes")
                #expect(destination[..<start].allSatisfy { $0 == 0xEE } && destination[(start + count)...].allSatisfy { $0 == 0xEE },
                        "nothing written outside: offset \(offset), \(count) bytes")
            }
        }
    }

    @Test("W2 at 10,000 entities: shuffle + zstd beats plain zstd")
    func filtersPayOff() throws {
        let world = Workload.swarm.snapshot(entities: 10_000)
        let filtered = try world.encoded(options: WriteOptions(codec: .zstd(level: 3)))
        let plain = try world.encoded(options: WriteOptions(codec: .zstd(level: 3), usesFilters: false))
        #expect(filtered.count < plain.count * 85 / 100)
    }
}

#if canImport(Glibc)
import Glibc
#endif
