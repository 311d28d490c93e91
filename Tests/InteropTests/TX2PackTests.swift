import Foundation
import Interop
import PackCodec
import Simulations
import Testing

/// tx2-pack files written by the tx2-pack crate itself (Fixtures/tx2pack).
@Suite struct TX2PackTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tx2pack").path

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))) }

    static func key() throws -> EncryptionKey {
        let hex = try String(contentsOfFile: fixtures + "/files/w2-n1000-none-aes256gcm.key.hex", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = try #require([UInt8](hex: hex))
        return try EncryptionKey(bytes: bytes)
    }

    @Test("W2 at N=1000 in every codec the crate wrote, and encrypted: the world is exactly W2", arguments: [
        "files/w2-n1000-none.tx2pack", "files/w2-n1000-zstd3.tx2pack", "files/w2-n1000-lz4.tx2pack", "files/w2-n1000-none-aes256gcm.tx2pack", "store/w2-n1000-zstd3.tx2pack",
    ])
    func readsW2(name: String) throws {
        let file = try TX2PackFile.read(Self.bytes(name), key: name.contains("aes") ? Self.key() : nil)
        #expect(file.header.entityCount == 1000 && file.header.componentCount == 3 && file.header.archetypeCount == 3)
        #expect(file.innerHeader.compression == 1, "the inner header says zstd whatever the codec")
        #expect(file.archetypes.map(\.component) == ["Position", "Velocity", "Health"])
        let world = try file.world()
        let expected = Workload.swarm.snapshot(entities: 1000)
        #expect(world.archetypes == expected.archetypes)
        #expect(world.schema == expected.schema)
    }

    @Test("W1 ramp (lz4) and the W3 world after tick 10 with entity metadata")
    func readsStore() throws {
        let w1 = try TX2PackFile.read(Self.bytes("store/w1-n1000-lz4.tx2pack"), key: nil).world()
        #expect(w1.archetypes == Workload.ramp.snapshot(entities: 1000).archetypes)
        let w3file = try TX2PackFile.read(Self.bytes("store/w3-n1000-t10-none.tx2pack"), key: nil)
        #expect(w3file.entityMetadata.map(\.entity).sorted() == [0, 1, 2])
        let w3 = try w3file.world()
        var timeline = SwarmTimeline(entities: 1000)
        for _ in 0..<10 { timeline.advance() }
        let reference = timeline.snapshot.archetypes[0]
        // Entities 0-2 carry metadata, so they form their own archetype.
        let plain = try #require(w3.archetypes.first { $0.components.count == 3 })
        let tagged = try #require(w3.archetypes.first { $0.components.count == 4 })
        #expect(tagged.entities == [0, 1, 2].map { EntityID($0) })
        #expect(plain.entities == Array(reference.entities.dropFirst(3)))
        #expect(plain.columns == reference.columns.map { Column(Array($0.values(as: Float.self).dropFirst(3))) })
        #expect(tagged.columns.last == Column(strings: ["[\"leader\"]", "[\"scout\",\"red\"]", "[]"]))
    }

    @Test("written back in each codec and encrypted, the crate's layout reads back to the same file contents")
    func roundTrip() throws {
        let original = try TX2PackFile.read(Self.bytes("store/w3-n1000-t10-none.tx2pack"), key: nil)
        let key = try EncryptionKey.random()
        for compression in [TX2PackFile.Compression.none, .zstd(level: 3), .lz4] {
            for useKey in [false, true] {
                let bytes = try original.encoded(compression: compression, key: useKey ? key : nil)
                var back = try TX2PackFile.read(bytes, key: useKey ? key : nil)
                #expect(back.archetypes == original.archetypes)
                #expect(back.entityMetadata.map(\.entity) == original.entityMetadata.map(\.entity))
                #expect(back.innerHeader == original.innerHeader)
                back.header = original.header
                #expect(back == original)
            }
        }
        // Uncompressed and unencrypted, the bytes are the crate's, byte for byte.
        #expect(try original.encoded(compression: .none, key: nil) == Self.bytes("store/w3-n1000-t10-none.tx2pack"))
    }

    @Test("the MessagePack payload variant: the layout FORMAT.md observed in the crate's file, and a round trip in every codec")
    func messagePack() throws {
        let original = try TX2PackFile.read(Self.bytes("files/w2-n1000-none.tx2pack"), key: nil)
        let bytes = try original.encoded(compression: .none, key: nil, messagePack: true)
        // FORMAT.md §7: the payload begins 93 9e 98 "TX2PACK\0" 01 ab "MessagePack" a4 "Zstd" c2 dc 00 20.
        let expected: [UInt8] = [0x93, 0x9E, 0x98] + Array("TX2PACK".utf8) + [0, 0x01, 0xAB] + Array("MessagePack".utf8) + [0xA4] + Array("Zstd".utf8) + [0xC2, 0xDC, 0x00, 0x20]
        #expect(Array(bytes[117..<117 + expected.count]) == expected)
        #expect(bytes[12] == 1, "the outer header says MessagePack")
        for compression in [TX2PackFile.Compression.none, .zstd(level: 3), .lz4] {
            let back = try TX2PackFile.read(original.encoded(compression: compression, key: nil, messagePack: true), key: nil)
            #expect(back.archetypes == original.archetypes)
            #expect(try back.world().archetypes == original.world().archetypes)
        }
        let w3 = try TX2PackFile.read(Self.bytes("store/w3-n1000-t10-none.tx2pack"), key: nil)
        let w3back = try TX2PackFile.read(w3.encoded(compression: .none, key: nil, messagePack: true), key: nil)
        #expect(w3back.entityMetadata.map(\.metadata) == w3.entityMetadata.map(\.metadata))
    }

    @Test("the annotated W3 checkpoints: tick-0000 to tick-0020 are W3 at N=1000 after each tick, with their metadata")
    func annotatedCheckpoints() throws {
        var timeline = SwarmTimeline(entities: 1000)
        for tick in 0...20 {
            if tick > 0 { timeline.advance() }
            let name = String(format: "checkpoints-w3-annotated/tick-%04d", tick)
            let world = try TX2PackFile.read(Self.bytes(name + ".tx2pack"), key: nil).world()
            #expect(world.archetypes == timeline.snapshot.archetypes, "tick \(tick)")
            let meta = try TX2PackMetadata(json: Self.bytes(name + ".meta.json"))
            #expect(meta.worldTime == Double(tick) && meta.custom["tick"] == String(tick) && meta.tags.contains("tick:\(tick)"))
            #expect(meta.custom["parent_id"] == (tick == 0 ? nil : String(format: "tick-%04d", tick - 1)))
        }
    }

    @Test("a changed byte, a missing or wrong key, and truncations are clear errors")
    func errors() throws {
        var damaged = try Self.bytes("files/w2-n1000-zstd3.tx2pack")
        damaged[500] ^= 1
        #expect(throws: InteropError.malformed("the SHA-256 of the data section does not match the header's: the file is damaged")) {
            try TX2PackFile.read(damaged, key: nil)
        }
        let encrypted = try Self.bytes("files/w2-n1000-none-aes256gcm.tx2pack")
        #expect(throws: InteropError.malformed("the file is encrypted: a key is needed (--key-file with tx2-pack's raw 32-byte key)")) {
            try TX2PackFile.read(encrypted, key: nil)
        }
        #expect(throws: InteropError.malformed("decryption failed: wrong key, or the data was changed")) {
            try TX2PackFile.read(encrypted, key: EncryptionKey.random())
        }
        let whole = try Self.bytes("files/w2-n1000-none.tx2pack")
        #expect(throws: InteropError.self) { try TX2PackFile.read(Array(whole.prefix(100)), key: nil) }
        #expect(throws: InteropError.self) { try TX2PackFile.read(Array(whole.prefix(5000)), key: nil) }
        var bad = whole
        bad[0] = 0x58
        #expect(throws: InteropError.malformed("no TX2PACK magic at offset 0")) { try TX2PackFile.read(bad, key: nil) }
    }
}
