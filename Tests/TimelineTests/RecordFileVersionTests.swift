import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

/// Store 1.8 made record checksums XXH3 (the low 32 bits of XXH3-64) in
/// files of version 2; files of version 1 (CRC-32) stay readable,
/// verifiable and appendable forever. `Fixtures/store-1.7-swarm` is W3 at
/// 300 entities, ticks 0–30, recorded by `tickscope record swarm` before
/// the change (its LOCK file left out).
@Suite struct RecordFileVersionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store-1.7-swarm").path

    /// A copy of the fixture to change.
    static func copyOfFixture() throws -> StoreDirectory {
        let directory = StoreDirectory()
        try FileManager.default.copyItem(atPath: fixture, toPath: directory.path)
        return directory
    }

    static func version(ofFile path: String) throws -> UInt32 {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(12))
        return UInt32(bytes[8]) | UInt32(bytes[9]) << 8 | UInt32(bytes[10]) << 16 | UInt32(bytes[11]) << 24
    }

    @Test("a record's framing, pinned byte for byte: CRC-32 in version 1, XXH3-64's low 32 bits in version 2")
    func framing() {
        let header: [UInt8] = [0x54, 0x52, 0x45, 0x43, 0x01, 0x00, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0]
        // zlib.crc32(b"\x01\x02\x03") and xxhash.xxh3_64_intdigest(b"\x01\x02\x03") & 0xFFFFFFFF, from Python.
        #expect(RecordFile.frame(kind: 1, payload: [1, 2, 3], version: 1) == header + [0x1D, 0x80, 0xBC, 0x55, 1, 2, 3])
        #expect(RecordFile.frame(kind: 1, payload: [1, 2, 3], version: 2) == header + [0x3B, 0x73, 0xAE, 0x32, 1, 2, 3])
    }

    @Test("a 1.7 store (CRC-32 records) reads every checkpoint exactly and verifies")
    func readsVersion1() throws {
        #expect(try Self.version(ofFile: Self.fixture + "/data-000001.tsd") == 1)
        #expect(try Self.version(ofFile: Self.fixture + "/index-000001.tsi") == 1)
        let store = try CheckpointStore.open(Self.fixture)
        #expect(store.checkpoints.count == 31)
        var simulation = SwarmTimeline(entities: 300)
        for checkpoint in try store.timeline(of: CheckpointStore.mainBranch) {
            while simulation.tick < checkpoint.tick { simulation.advance() }
            #expect(try store.snapshot(checkpoint.id) == simulation.snapshot, "tick \(checkpoint.tick)")
        }
        #expect(store.verify().isEmpty)
    }

    @Test("appending to a 1.7 store keeps CRC-32 in its files; a new store's files are version 2")
    func appendsToVersion1() throws {
        let directory = try Self.copyOfFixture()
        var simulation = SwarmTimeline(entities: 300)
        while simulation.tick < 30 { simulation.advance() }
        simulation.advance()
        let writer = try CheckpointStore.openForWriting(directory.path)
        let added = try writer.commit(simulation.snapshot, branch: CheckpointStore.mainBranch, info: CheckpointInfo(name: "tick 31"))
        #expect(try Self.version(ofFile: directory.path + "/data-000001.tsd") == 1)
        let reopened = try CheckpointStore.open(directory.path)
        #expect(try reopened.snapshot(added.id) == simulation.snapshot)
        #expect(reopened.verify().isEmpty)

        let fresh = StoreDirectory()
        try SwarmTimeline.record(entities: 300, ticks: 2, into: try CheckpointStore.openForWriting(fresh.path))
        #expect(try Self.version(ofFile: fresh.path + "/data-000001.tsd") == 2)
        #expect(try Self.version(ofFile: fresh.path + "/index-000001.tsi") == 2)
        #expect(try CheckpointStore.open(fresh.path).verify().isEmpty)
    }

    @Test("a changed payload byte is reported with the file, the record's offset and its checksum's name", arguments: [1, 2])
    func corruptRecord(version: Int) throws {
        let directory: StoreDirectory
        if version == 1 {
            directory = try Self.copyOfFixture()
        } else {
            directory = StoreDirectory()
            try SwarmTimeline.record(entities: 300, ticks: 2, into: try CheckpointStore.openForWriting(directory.path))
        }
        let path = directory.path + "/data-000001.tsd"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[16 + 20 + 5] ^= 0x01  // the first record's payload (header 16 bytes, record header 20)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let problems = try CheckpointStore.open(directory.path).verify()
        let name = version == 1 ? "CRC-32" : "XXH3-64, low 32 bits"
        #expect(problems.contains { $0.contains(path) && $0.contains("record at offset 16") && $0.contains("checksum mismatch (\(name)") },
                "\(problems)")
    }

    @Test("a record file of a version this code does not know is refused, naming the file and the version")
    func newerVersion() throws {
        let directory = try Self.copyOfFixture()
        let path = directory.path + "/data-000001.tsd"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[8] = 3
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try CheckpointStore.open(directory.path).snapshot(CheckpointID(rawValue: 1))
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("record file version 3")
        }
    }
}
