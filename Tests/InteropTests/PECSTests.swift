import Foundation
import Interop
import PackCodec
import Simulations
import Testing

/// PECS files written by the PECS crate itself (Fixtures/pecs), and the
/// ADR-007 layout through Tickscope's own writer.
@Suite struct PECSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pecs").path

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))) }

    static func sid(_ k: UInt64) -> PECSFile.ID128 { PECSFile.ID128(high: 0x5045_4353_0000_0000 | k, low: 0x1000 | k) }

    @Test("CRC-64/WE has its catalogue check value, and is not the XZ variant")
    func crc() {
        #expect(CRC64WE.checksum(Array("123456789".utf8)) == 0x62EC_59E3_F1A4_F00A)
        #expect(CRC64WE.checksum([UInt8]()) == 0)
    }

    @Test("the crate's W2 file: 1000 stable ids 0-999, no components, CRC checked; ids become entity ids")
    func w2() throws {
        let file = try PECSFile.read(Self.bytes("w2_n1000.pecs"))
        #expect(file.layout == .crate && file.version == 1 && file.types.isEmpty)
        #expect(Set(file.entities.map(\.stableID)) == Set((0..<1000).map { PECSFile.ID128(high: 0, low: UInt64($0)) }))
        #expect(file.entities.allSatisfy { $0.components.isEmpty })
        let world = try file.world(schema: nil)
        #expect(world.archetypes.count == 1 && world.archetypes[0].components.isEmpty)
        #expect(Set(world.archetypes[0].entities) == Set((0..<1000).map { EntityID(UInt64($0)) }))
        #expect(file.encoded() == (try Self.bytes("w2_n1000.pecs")), "written back byte for byte")
    }

    @Test("the registry fixture: three types with ids and versions, seven stable ids kept whole")
    func registry() throws {
        let file = try PECSFile.read(Self.bytes("small_archetypes_with_registry.pecs"))
        #expect(file.types.map(\.name) == ["Position", "Velocity", "Health"])
        #expect(file.types.map(\.id.low) == [0xc05e_9a14_677b_e953, 0x1c80_1ef3_3252_ae0c, 0xe99b_0151_a81f_7959])
        #expect(file.types.map(\.version) == [1, 1, 2])
        #expect(Set(file.entities.map(\.stableID)) == Set([1, 3, 4, 6, 7, 9, 10].map { Self.sid($0) }))
        let world = try file.world(schema: nil)
        // High halves differ: ids are record indices, the stable ids a component.
        #expect(world.archetypes[0].components.map(\.name) == ["PECS.StableId"])
        let column = world.archetypes[0].columns[0]
        #expect(Set((0..<column.count).map { String(decoding: column.variableBytes(at: $0), as: UTF8.self) }) == Set([1, 3, 4, 6, 7, 9, 10].map { Self.sid($0).description }))
        #expect(try PECSFile(world: world, layout: .crate, lossy: false).encoded().count == 266)
    }

    @Test("the component-record fixture decodes Position with a schema, and as bytes without one")
    func componentRecord() throws {
        let file = try PECSFile.read(Self.bytes("synthetic_component_record.pecs"))
        let schema = try PECSSchema(text: "# mine\nPosition = x:f32 y:f32 z:f32\n", file: "schema")
        let world = try file.world(schema: schema)
        let with = try #require(world.archetypes.first { $0.components.first?.name == "Position" })
        #expect(with.columns[0].value(at: 0) == .float32(1) && with.columns[1].value(at: 0) == .float32(2) && with.columns[2].value(at: 0) == .float32(3))
        let raw = try file.world(schema: nil)
        let bytes = try #require(raw.archetypes.first { $0.components.first?.name == "Position" })
        #expect(bytes.columns[0].variableBytes(at: 0).elementsEqual([0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40]))
        // Back to the crate layout: the same records.
        #expect(try PECSFile.read(PECSFile(world: world, layout: .crate, lossy: false).encoded()).entities.sorted { $0.stableID < $1.stableID }
            == file.entities.sorted { $0.stableID < $1.stableID })
    }

    @Test("W2 through the ADR-007 layout: SoA per archetype, resources, the SCEP footer; read back exactly, and told apart from the crate layout")
    func adr() throws {
        var world = Workload.swarm.snapshot(entities: 1000)
        world.resources = Resources(custom: ["pecs.resource.000000000000000000000000000000aa": "01020304"])
        world.metadata = [:]
        let file = try PECSFile(world: world, layout: .adr007, lossy: false)
        let bytes = file.encoded()
        #expect(Array(bytes.prefix(4)) == Array("PECS".utf8) && Array(bytes[bytes.count - 12..<bytes.count - 8]) == Array("SCEP".utf8))
        // Header, registry (3 types, names of 8, 8 and 6 bytes), table (one archetype of 3 types),
        // ids, 3 component arrays, resources (one of 4 bytes), footer.
        #expect(bytes.count == 64 + 12 + 3 * (16 + 2 + 12) + 22 + 12 + (8 + 4 + 2 + 48 + 16) + 1000 * 16 + 3 * 24 + 1000 * 28 + 4 + 20 + 4 + 32)
        let back = try PECSFile.read(bytes)
        #expect(back.layout == .adr007 && back == file)
        let schema = try PECSSchema(text: "Position = x:f32 y:f32 z:f32\nVelocity = vx:f32 vy:f32 vz:f32\nHealth = value:f32", file: "schema")
        let again = try back.world(schema: schema)
        #expect(again.archetypes[0].columns == world.archetypes[0].columns)
        #expect(again.resources.custom == world.resources.custom)
    }

    @Test("damage and lies are errors: a flipped byte, a short file, absurd counts, an unknown type", arguments: ["crate", "adr"])
    func errors(layout: String) throws {
        let original = layout == "crate" ? try Self.bytes("small_archetypes_with_registry.pecs")
            : try PECSFile(world: Workload.swarm.snapshot(entities: 10).withoutMetadata, layout: .adr007, lossy: true).encoded()
        for offset in stride(from: 4, to: original.count, by: 7) {
            var damaged = original
            damaged[offset] ^= 0x10
            #expect(throws: InteropError.self, "byte \(offset)") { try PECSFile.read(damaged) }
        }
        for length in [0, 3, 10, 40, original.count - 1] {
            #expect(throws: InteropError.self, "\(length) bytes") { try PECSFile.read(Array(original.prefix(length))) }
        }
    }
}

extension Snapshot {
    var withoutMetadata: Snapshot {
        var copy = self
        copy.metadata = [:]
        copy.resources = Resources()
        return copy
    }
}
