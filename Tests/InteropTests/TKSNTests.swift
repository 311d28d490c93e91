import Foundation
import Interop
import PackCodec
import Testing

/// TKSN files written by tick-frame-space's own Java code
/// (Fixtures/tksn, copied from the shared fixtures with their README).
@Suite struct TKSNTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tksn").path

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))) }

    /// The README's CSV: index, position, energy, generation, cost, momentum, birth.
    static func expected(_ name: String) throws -> [[[Int64]]] {
        let text = try String(contentsOfFile: fixtures + "/expected/" + name, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.split(separator: ";").map { Int64($0)! } }
        }
    }

    static func check(_ snapshot: TKSNSnapshot, against rows: [[[Int64]]]) {
        #expect(snapshot.count == rows.count)
        for (i, row) in rows.enumerated() where i < snapshot.count {
            #expect(row[0] == [Int64(i)])
            #expect((0..<snapshot.dimensions).map { snapshot.positions[$0][i] } == row[1], "entity \(i)")
            #expect(snapshot.energy[i] == row[2][0] && snapshot.generation[i] == row[3][0] && snapshot.momentumCost[i] == row[4][0])
            #expect((0..<snapshot.dimensions).map { snapshot.momentum[$0][i] } == row[5] && snapshot.birth[i] == row[6][0], "entity \(i)")
        }
    }

    @Test("the raw and the gzip file of the README hold exactly its 1000 entities at tick 5000 in 3 dimensions")
    func readsFixtures() throws {
        let rows = try Self.expected("w2int_3d_n1000_tick5000.csv")
        for name in ["w2int_3d_n1000_tick5000.snap", "w2int_3d_n1000_tick5000.gz.snap"] {
            let snapshot = try TKSNSnapshot.read(Self.bytes(name))
            #expect(snapshot.tick == 5000 && snapshot.dimensions == 3)
            Self.check(snapshot, against: rows)
        }
    }

    @Test("the 200-entity gzip sequence: every file's values, and position(T) = position(0) + floor(T / cost) * momentum")
    func readsSequence() throws {
        let start = try TKSNSnapshot.read(Self.bytes("seq_gzip/simulation_tick_0.snap"))
        for tick in stride(from: 0, through: 1000, by: 100) {
            let snapshot = try TKSNSnapshot.read(Self.bytes("seq_gzip/simulation_tick_\(tick).snap"))
            #expect(snapshot.tick == Int64(tick) && snapshot.count == 200)
            Self.check(snapshot, against: try Self.expected("seq/simulation_tick_\(tick).csv"))
            for i in 0..<200 {
                let steps = Int64(tick) / start.momentumCost[i]
                #expect((0..<3).allSatisfy { snapshot.positions[$0][i] == start.positions[$0][i] + steps * start.momentum[$0][i] })
            }
        }
    }

    @Test("written back, the raw file is byte for byte the Java writer's, and gzip round-trips")
    func writesLikeJava() throws {
        let raw = try Self.bytes("w2int_3d_n1000_tick5000.snap")
        let snapshot = try TKSNSnapshot.read(raw)
        #expect(snapshot.encoded(gzip: false) == raw)
        #expect(try TKSNSnapshot.read(snapshot.encoded(gzip: true)) == snapshot)
    }

    @Test("as a world: Position, Energy, Generation, Momentum and Birth, ids by record, and back without loss")
    func world() throws {
        let snapshot = try TKSNSnapshot.read(Self.bytes("w2int_3d_n1000_tick5000.snap"))
        let world = snapshot.world
        try world.validate()
        #expect(world.schema.components.map(\.name) == ["Position", "Energy", "Generation", "Momentum", "Birth"])
        #expect(world.archetypes[0].columnKeys.map(\.description) == [
            "Position.x", "Position.y", "Position.z", "Energy.value", "Generation.value", "Momentum.cost", "Momentum.x", "Momentum.y", "Momentum.z", "Birth.tick",
        ])
        #expect(world.archetypes[0].entities.last == EntityID(999) && world.resources.tick == 5000)
        #expect(try TKSNSnapshot(world: world, lossy: false) == snapshot)
    }

    @Test("a world TKSN cannot hold is refused with what would be lost, unless lossy")
    func lossy() throws {
        var world = try TKSNSnapshot.read(Self.bytes("w2int_3d_n1000_tick5000.snap")).world
        world.resources.seed = 7
        world.archetypes[0].entities = world.archetypes[0].entities.map { EntityID($0.rawValue + 10) }
        #expect(throws: InteropError.lossy(["entity ids (TKSN numbers entities by record)", "world time, seed and custom resources"])) {
            try TKSNSnapshot(world: world, lossy: false)
        }
        #expect(try TKSNSnapshot(world: world, lossy: true).count == 1000)
    }

    static let malformedCases: [(bytes: [UInt8], message: String)] = {
        var cases: [([UInt8], String)] = []
        cases.append(([UInt8]("TKSX".utf8) + [UInt8](repeating: 0, count: 28), "no TKSN magic at offset 0"))
        cases.append(([UInt8]("TKSN".utf8) + [0, 0, 0, 2] + [UInt8](repeating: 0, count: 24), "version 2 at offset 4; only version 1 exists"))
        cases.append(([UInt8]("TKSN".utf8) + [0, 0, 0, 1], "8 bytes is shorter than the 32-byte TKSN header"))
        cases.append((header(count: -1, dimensions: 3), "negative entity count -1 at offset 16"))
        cases.append((header(count: 0, dimensions: 0), "dimension count 0 at offset 20 is not 1-1024"))
        cases.append((header(count: 1_000_000, dimensions: 3) + [0, 0], "1000000 entities of at least 10 bytes each do not fit in the 2 bytes after the header"))
        let long: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        cases.append((header(count: 1, dimensions: 1) + long, "a VarLong longer than 64 bits ends at offset 41"))
        cases.append((header(count: 1, dimensions: 1) + [0, 0, 0, 0, 0, 0x80], "the file ends inside a VarLong at offset 38"))
        cases.append(([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2], "the compressed stream is cut short"))
        return cases
    }()

    @Test("malformed files are errors naming what and where", arguments: TKSNTests.malformedCases)
    func malformed(bytes: [UInt8], message: String) {
        #expect(throws: InteropError.malformed(message)) { try TKSNSnapshot.read(bytes) }
    }
}

/// A TKSN header with the given counts (tick 0).
func header(count: Int32, dimensions: Int32) -> [UInt8] {
    var bytes = [UInt8]("TKSN".utf8) + [0, 0, 0, 1] + [UInt8](repeating: 0, count: 8)
    for value in [count, dimensions] { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> Int32($0)) } }
    return bytes + [UInt8](repeating: 0, count: 8)
}
