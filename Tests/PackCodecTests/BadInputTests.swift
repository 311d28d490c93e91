@testable import PackCodec
import Simulations
import Testing

@Suite struct BadInputTests {
    static let good: [UInt8] = try! TestWorlds.everyType.encoded()

    @Test("a zero-length file is not a snapshot")
    func zeroLength() {
        #expect(throws: PackError.notASnapshot(found: [])) { try SnapshotReader(bytes: []) }
    }

    @Test("a file of another format is not a snapshot")
    func otherFormat() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 200)
        #expect(throws: PackError.notASnapshot(found: Array(png.prefix(8)))) { try SnapshotReader(bytes: png) }
    }

    @Test("every truncation is an error, never a crash", arguments: [0, 1, 7, 8, 31, 32, 100])
    func truncatedPrefix(length: Int) {
        #expect(throws: PackError.self) { try SnapshotReader(bytes: Array(Self.good.prefix(length))) }
    }

    @Test("cutting any number of bytes off the end is an error")
    func truncatedEverywhere() {
        for length in 0..<Self.good.count {
            #expect(throws: PackError.self, "length \(length)") { try SnapshotReader(bytes: Array(Self.good.prefix(length))) }
        }
    }

    @Test("a newer major version is refused with its number")
    func newerVersion() {
        var bytes = Self.good
        bytes[8] = 4
        #expect(throws: PackError.newerVersion(major: 4, minor: 0)) { try SnapshotReader(bytes: bytes) }
        #expect("\(PackError.newerVersion(major: 4, minor: 0))".hasSuffix("this tickscope reads major versions up to 3"))
        bytes[8] = 0
        #expect(throws: PackError.malformed(offset: 8, reason: "major version 0 is not one this tickscope reads")) { try SnapshotReader(bytes: bytes) }
    }

    @Test("a newer minor version still reads")
    func newerMinor() throws {
        var bytes = Self.good
        bytes[10] = 7
        #expect(try SnapshotReader(bytes: bytes).readSnapshot() == TestWorlds.everyType)
    }

    @Test("a table of contents that declares 2^60 entities is refused before allocating")
    func hugeEntityCount() throws {
        let bytes = try Workload.swarm.snapshot(entities: 10).encoded()
        let table = FileSurgery.tableRange(bytes)
        // The entity count sits right before the archetype's first block descriptor.
        let reader = try SnapshotReader(bytes: bytes)
        let countOffset = table.lowerBound + tableLengthBeforeCount(reader.contents)
        #expect(Array(bytes[countOffset..<countOffset + 8]) == FileSurgery.littleEndian(UInt64(10)))
        let hostile = FileSurgery.patch(bytes, at: countOffset, with: FileSurgery.littleEndian(UInt64(1) << 60))
        #expect(throws: PackError.sizeLimitExceeded(
            what: "archetype 0 at offset \(countOffset)", declared: 1 << 60, limit: Limits.maxEntitiesPerArchetype)) {
            try SnapshotReader(bytes: hostile)
        }
    }

    @Test("a zstd block that declares more than its codec can produce is refused")
    func hugeRawLength() throws {
        let bytes = try Workload.swarm.snapshot(entities: 10).encoded()
        let reader = try SnapshotReader(bytes: bytes)
        let table = FileSurgery.tableRange(bytes)
        // Skip the entity count and the id block's descriptor (format 2: 48 bytes and 24 of statistics).
        let descriptorOffset = table.lowerBound + tableLengthBeforeCount(reader.contents) + 8 + 48 + 24
        #expect(reader.contents.archetypes[0].entityBlock.statistics != nil)
        // Position.x: declare 2^31 values' worth of bytes in both raw and encoded length.
        var hostile = FileSurgery.patch(bytes, at: descriptorOffset + 16, with: FileSurgery.littleEndian(UInt64(1) << 33))
        hostile = FileSurgery.patch(hostile, at: descriptorOffset + 24, with: FileSurgery.littleEndian(UInt64(1) << 33))
        #expect(throws: PackError.self) { try SnapshotReader(bytes: hostile) }
    }

    @Test("the wrong key is reported as such")
    func wrongKey() throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(key: try EncryptionKey.random()))
        #expect(throws: PackError.wrongKey) { try SnapshotReader(bytes: bytes, key: try EncryptionKey.random()) }
    }

    @Test("an encrypted file read without a key says a key is needed")
    func keyRequired() throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(key: try EncryptionKey.random()))
        let reader = try SnapshotReader(bytes: bytes)
        #expect(reader.contents.schema == TestWorlds.everyType.schema)
        #expect(throws: PackError.keyRequired) { try reader.readSnapshot() }
    }

    @Test("an encrypted block edited with a fixed-up checksum fails authentication")
    func tamperedBlock() throws {
        let key = try EncryptionKey.random()
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none, key: key))
        let reader = try SnapshotReader(bytes: bytes, key: key)
        let original = reader.contents.archetypes[0].columnBlocks[0]
        let range = Int(original.offset)..<Int(original.offset + original.storedLength)
        var stored = Array(bytes[range])
        stored[AESGCM.nonceSize] ^= 1
        var descriptor = original
        descriptor.checksum = XXH3.checksum(stored)
        let label = "Kinds.flag of archetype 0"
        #expect(throws: PackError.tamperedBlock(block: 1, column: label)) {
            try stored.withUnsafeBytes {
                try BlockDecoder.decode(
                    $0, descriptor: descriptor, type: .bool, number: 1, label: label, isEncrypted: true, key: key, format: .version2)
            }
        }
        // The untouched block, presented as another block number (moved), fails too.
        #expect(throws: PackError.tamperedBlock(block: 2, column: label)) {
            try Array(bytes[range]).withUnsafeBytes {
                try BlockDecoder.decode(
                    $0, descriptor: original, type: .bool, number: 2, label: label, isEncrypted: true, key: key, format: .version2)
            }
        }
        // In the file, fixing up the checksum changes the table of contents, whose seal then fails.
        let table = FileSurgery.tableRange(bytes)
        let checksumBytes = FileSurgery.littleEndian(original.checksum)
        let position = (table.lowerBound..<table.upperBound - 8).first { Array(bytes[$0..<$0 + 8]) == checksumBytes }!
        var tampered = bytes
        tampered.replaceSubrange(range, with: stored)
        tampered = FileSurgery.patch(tampered, at: position, with: FileSurgery.littleEndian(descriptor.checksum))
        #expect(throws: PackError.tamperedTableOfContents) { try SnapshotReader(bytes: tampered, key: key) }
    }

    @Test("a key file must be 32 bytes and private")
    func keyFiles() throws {
        let path = "/tmp/tickscope-key-\(getpid())"
        defer { unlink(path) }
        let key = try EncryptionKey.random()
        try key.write(toFile: path)
        #expect(try EncryptionKey(contentsOfFile: path) == key)
        #expect(throws: PackError.self) { try key.write(toFile: path) }
        chmod(path, 0o644)
        #expect(throws: PackError.self) { try EncryptionKey(contentsOfFile: path) }
        #expect("\(key)" == "EncryptionKey(redacted)")
    }

    /// The byte length of a table of contents up to the first archetype's
    /// entity count, for the single-archetype workload worlds.
    @Test("block statistics that lie are caught: impossible ones at open, wrong ones by verify, naming the block")
    func lyingStatistics() throws {
        let component = ComponentType(name: "Health", fields: [Field("value", .float32)])
        let world = Snapshot(
            schema: Schema(components: [component]),
            archetypes: [Archetype(components: [component], entities: [EntityID(1), EntityID(2), EntityID(3)], columns: [Column([Float(1), 2, 3])])])
        let bytes = try world.encoded(options: WriteOptions(codec: .none))
        let table = FileSurgery.tableRange(bytes)
        let maximum = FileSurgery.littleEndian((3.0).bitPattern)
        let position = (table.lowerBound..<table.upperBound - 8).first { Array(bytes[$0..<$0 + 8]) == maximum }!
        // A maximum below the values: a query would skip values that match. The file opens and reads; verify says why it is wrong.
        let lying = FileSurgery.patch(bytes, at: position, with: FileSurgery.littleEndian((2.5).bitPattern))
        let reader = try SnapshotReader(bytes: lying)
        #expect(try reader.readSnapshot() == world)
        let problem = "\(reader.verify().firstProblem.map { "\($0)" } ?? "none")"
        #expect(problem.contains("block 1 (Health.value of archetype 0): its statistics say 1.0…2.5 with 0 NaN, the values are 1.0…3.0 with 0 NaN"), "\(problem)")
        // A minimum above the maximum, or a NaN bound, cannot be: refused at open with the offset.
        let inverted = FileSurgery.patch(bytes, at: position, with: FileSurgery.littleEndian((0.5).bitPattern))
        #expect(throws: PackError.malformed(offset: position - 8, reason: "block statistics: minimum 1.0 is above maximum 0.5")) {
            try SnapshotReader(bytes: inverted)
        }
        let nan = FileSurgery.patch(bytes, at: position, with: FileSurgery.littleEndian(Double.nan.bitPattern))
        #expect(throws: PackError.malformed(offset: position - 8, reason: "block statistics: a bound is NaN")) { try SnapshotReader(bytes: nan) }
    }

    func tableLengthBeforeCount(_ contents: TableOfContents) -> Int {
        var length = 4
        for component in contents.schema.components {
            length += 4 + component.name.utf8.count + 4 + 4
            for field in component.fields { length += 4 + field.name.utf8.count + 1 }
        }
        length += 8 + 8 + 8 + 4
        for (key, value) in contents.resources.custom { length += 8 + key.utf8.count + value.utf8.count }
        length += 4
        for (key, value) in contents.metadata { length += 8 + key.utf8.count + value.utf8.count }
        length += 4 + 4 + 4 * contents.archetypes[0].components.count
        return length
    }
}

#if canImport(Glibc)
import Glibc
#endif
