import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

/// Encrypted stores (docs/STORE.md, "Encrypted stores"): every record and
/// side file sealed with AES-256-GCM under the store's key.
@Suite struct EncryptedStoreTests {
    static let key = try! EncryptionKey(bytes: Array(0..<32))
    static let otherKey = try! EncryptionKey(bytes: Array(repeating: 9, count: 32))

    /// A world whose names and values are easy to look for in the files.
    static func secretWorld(tick: UInt64) -> Snapshot {
        let secret = ComponentType(name: "SecretComponent", fields: [Field("hiddenField", .float64), Field("label", .string)])
        let ids = (1...200 as ClosedRange<UInt64>).map(EntityID.init(rawValue:))
        return Snapshot(
            schema: Schema(components: [secret]),
            archetypes: [Archetype(components: [secret], entities: ids, columns: [
                Column(ids.map { Double($0.rawValue) * 1.25 + Double(tick) }),
                Column(strings: ids.map { "confidential-\($0.rawValue)" }),
            ])],
            resources: Resources(tick: tick, worldTime: Double(tick), seed: 5, custom: ["mapName": "classified-map"]),
            metadata: ["owner": "agent-smith"])
    }

    /// Records five ticks, a fork with an edit and a mark into an encrypted store.
    static func record(into path: String) throws -> [Snapshot] {
        let store = try CheckpointStore.openForWriting(path, key: key, clock: { 1_767_225_600_000 })
        var worlds: [Snapshot] = []
        for tick in 0..<5 as Range<UInt64> {
            var world = secretWorld(tick: tick)
            if tick > 2 { world.archetypes[0].columns[0] = secretWorld(tick: 2).archetypes[0].columns[0] } // deltas and shared blocks
            try store.commit(world, info: CheckpointInfo(name: "secret checkpoint \(tick)", description: "eyes only", tags: ["hush"]))
            worlds.append(world)
        }
        try store.fork(from: store.checkpoints[1].id, name: "covert-branch",
                       edits: [.set(entity: EntityID(3), component: "SecretComponent", field: "hiddenField", value: "4242.5")])
        try store.sideFiles.write("MARKS", Array("a c2 the secret mark\n".utf8))
        return worlds
    }

    @Test("an encrypted store round-trips exactly with its key, also after gc and when followed")
    func roundTrip() throws {
        let directory = StoreDirectory()
        let worlds = try Self.record(into: directory.path)
        let store = try CheckpointStore.open(directory.path, key: Self.key)
        #expect(store.isEncrypted)
        #expect(try store.checkpoints.prefix(5).map { try store.snapshot($0.id) } == worlds)
        #expect(store.checkpoints.first?.info == CheckpointInfo(name: "secret checkpoint 0", description: "eyes only", tags: ["hush"]))
        let forked = try store.snapshot(store.checkpoints[5].id)
        #expect(forked.archetypes[0].columns[0].values(as: Double.self)[2] == 4242.5)
        #expect(store.verify().isEmpty)
        #expect(try store.sideFiles.read("MARKS") == Array("a c2 the secret mark\n".utf8))

        // A reader follows a writer that appends.
        let writer = try CheckpointStore.openForWriting(directory.path, key: Self.key)
        try writer.commit(Self.secretWorld(tick: 9))
        #expect(try store.refresh())
        #expect(try store.snapshot(store.checkpoints.last!.id) == Self.secretWorld(tick: 9))

        // gc rewrites every record at a new place: they are sealed again for it.
        try writer.delete([writer.checkpoints[0].id])
        try writer.collectGarbage()
        let after = try CheckpointStore.open(directory.path, key: Self.key)
        #expect(try after.checkpoints.prefix(4).map { try after.snapshot($0.id) } == Array(worlds.dropFirst()))
        #expect(after.verify().isEmpty)
    }

    @Test("without the key, or with another, opening says so and names the store")
    func keys() throws {
        let directory = StoreDirectory()
        _ = try Self.record(into: directory.path)
        #expect(throws: TimelineError.keyRequired(path: directory.path)) { try CheckpointStore.open(directory.path) }
        #expect(throws: TimelineError.wrongKey(path: directory.path)) { try CheckpointStore.open(directory.path, key: Self.otherKey) }
        #expect(throws: TimelineError.wrongKey(path: directory.path)) { try CheckpointStore.openForWriting(directory.path, key: Self.otherKey) }
        #expect(TimelineError.keyRequired(path: "/r").description == "/r: the store is encrypted: give its key with --key-file or TICKSCOPE_KEY_FILE")
        // A plain store opened with a key stays plain.
        let plain = StoreDirectory()
        try CheckpointStore.openForWriting(plain.path).commit(Self.secretWorld(tick: 0))
        try CheckpointStore.openForWriting(plain.path, key: Self.key).commit(Self.secretWorld(tick: 1))
        let reopened = try CheckpointStore.open(plain.path, key: Self.key)
        #expect(!reopened.isEncrypted)
        #expect(try reopened.snapshot(reopened.checkpoints[1].id) == Self.secretWorld(tick: 1))
    }

    @Test("no file of an encrypted store holds a name, a string or an 8-byte run of a column in the clear")
    func noPlaintext() throws {
        let directory = StoreDirectory()
        let worlds = try Self.record(into: directory.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "LOCK" }
        #expect(Set(names) == ["MANIFEST", "MARKS", "STOREID", "index-000001.tsi", "data-000001.tsd"])
        // The record files' framing (file header, each record's magic, kind, length and checksum) is
        // not secret, and a length's zero bytes followed by a checksum can spell a small double.
        let files = try names.map { name in
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + name)))
            return name.hasSuffix(".tsi") || name.hasSuffix(".tsd") ? Self.payloadsOnly(bytes) : bytes
        }
        let words = ["SecretComponent", "hiddenField", "label", "confidential", "classified", "agent-smith", "mapName", "owner",
                     "secret checkpoint", "eyes only", "hush", "covert", "main", "secret mark"]
        var needles = words.map { Array($0.utf8) }
        // Runs of raw column bytes: the doubles of entity 1 and 2, and the entity ids.
        for world in worlds {
            let raw = world.archetypes[0].columns[0].storage
            needles.append(Array(raw[0..<8]))
            needles.append(Array(raw[8..<16]))
        }
        needles.append(withUnsafeBytes(of: UInt64(1).littleEndian, Array.init) + withUnsafeBytes(of: UInt64(2).littleEndian, Array.init))
        for (name, bytes) in zip(names, files) {
            for needle in needles {
                #expect(Self.find(needle, in: bytes) == nil, "\(name) holds \(needle) in the clear")
            }
        }
        // The same recording unencrypted does hold them: the search can fail.
        let plain = StoreDirectory()
        let store = try CheckpointStore.openForWriting(plain.path)
        try store.commit(worlds[0], info: CheckpointInfo(name: "secret checkpoint 0"))
        let index = Array(try Data(contentsOf: URL(fileURLWithPath: plain.path + "/index-000001.tsi")))
        #expect(Self.find(Array("SecretComponent".utf8), in: Self.payloadsOnly(index)) != nil)
    }

    @Test("golden bytes: an encrypted store's first MANIFEST (1.2, with its random store id); a 1.1 MANIFEST still parses")
    func goldenManifest() throws {
        let directory = StoreDirectory()
        _ = try CheckpointStore.openForWriting(directory.path, key: Self.key)
        let manifest = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST")))
        // magic, 1.2, flags 3 (encrypted, store id), key check; then the 16-byte random store id;
        // then generation 0, index 1 @16, one data file 1 @16, CRC-32 of everything before it
        // (the fixed parts computed from docs/STORE.md with Python's hashlib and zlib).
        #expect(manifest.count == 88)
        #expect(Array(manifest[0..<32]) == [UInt8](hex: "5453435053544f520100020003000000" + "35ee0ce499841a62b083b9ace11c59e2"))
        #expect(Array(manifest[48..<84]) == [UInt8](hex: "000000000000000001000000100000000000000001000000010000001000000000000000"))
        let crc = UInt32(manifest[84]) | UInt32(manifest[85]) << 8 | UInt32(manifest[86]) << 16 | UInt32(manifest[87]) << 24
        #expect(crc == CRC32.checksum(Array(manifest[0..<84])))
        let other = StoreDirectory()
        _ = try CheckpointStore.openForWriting(other.path, key: Self.key)
        let otherID = Array(try Data(contentsOf: URL(fileURLWithPath: other.path + "/MANIFEST")))[32..<48]
        #expect(Array(manifest[32..<48]) != Array(otherID), "each store gets its own id")
        // The 1.1 form (no store id) parses, and its records are opened without one.
        let old = [UInt8](hex: "5453435053544f52010001000100000035ee0ce499841a62b083b9ace11c59e2000000000000000001000000100000000000000001000000010000001000000000000000ff9ebb27")!
        let parsed = try StoreManifest.parse(old, path: "MANIFEST")
        #expect(parsed.keyCheck != nil && parsed.storeID == nil)
        #expect(parsed.bytes == old)
    }

    @Test("a record copied from another encrypted store with the same key, at the very same place, fails authentication")
    func transplantedRecord() throws {
        let a = StoreDirectory(), b = StoreDirectory()
        let options = WriteOptions(codec: .none)
        var other = Self.secretWorld(tick: 0)
        other.archetypes[0].columns[0] = Column(other.archetypes[0].columns[0].values(as: Double.self).map { $0 + 1 })
        try CheckpointStore.openForWriting(a.path, key: Self.key).commit(Self.secretWorld(tick: 0), options: options)
        try CheckpointStore.openForWriting(b.path, key: Self.key).commit(other, options: options)
        let dataA = a.path + "/data-000001.tsd", dataB = b.path + "/data-000001.tsd"
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataA)).count == Data(contentsOf: URL(fileURLWithPath: dataB)).count)
        try FileManager.default.removeItem(atPath: dataA)
        try FileManager.default.copyItem(atPath: dataB, toPath: dataA)
        let store = try CheckpointStore.open(a.path, key: Self.key)
        do {
            _ = try store.snapshot(store.checkpoints[0].id)
            Issue.record("a transplanted record was read as this store's")
        } catch {
            guard case .recordTampered(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == dataA)
        }
    }

    @Test("a record opens as docs/STORE.md says: nonce, ciphertext, tag, its place and the store id as associated data")
    func recordLayout() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path, key: Self.key)
        try store.commit(Self.secretWorld(tick: 0))
        let index = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/index-000001.tsi")))
        // The first record (at 16) is the branch record of `main`; its payload starts at 36.
        #expect(Array(index[16..<20]) == Array("TREC".utf8))
        #expect(index[20] == 2)
        let length = Int(index[24]) | Int(index[25]) << 8
        let sealed = Array(index[36..<36 + length])
        var aad = Array("TSCPINDX".utf8) + [1, 0, 0, 0]
        aad += [36, 0, 0, 0, 0, 0, 0, 0, 2]
        aad += Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST")))[32..<48]
        var plain = [UInt8](repeating: 0, count: length - 28)
        let ok = sealed.withUnsafeBytes { s in plain.withUnsafeMutableBytes { AESGCM.open(s, key: Self.key, authenticating: aad, into: $0) } }
        #expect(ok)
        #expect(Array(plain[0..<8]) == [4, 0, 0, 0] + Array("main".utf8))
        // The same bytes at another place do not open.
        aad[12] = 37
        let moved = sealed.withUnsafeBytes { s in plain.withUnsafeMutableBytes { AESGCM.open(s, key: Self.key, authenticating: aad, into: $0) } }
        #expect(!moved)
    }

    @Test("a ciphertext byte changed with its record checksum fixed is an authentication error naming the file and record")
    func tamperedCiphertext() throws {
        let directory = StoreDirectory()
        _ = try Self.record(into: directory.path)
        let path = directory.path + "/data-000001.tsd"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // The first data record: header at 16, payload at 36; change a ciphertext byte and fix the record's checksum.
        let length = Int(bytes[24]) | Int(bytes[25]) << 8 | Int(bytes[26]) << 16
        bytes[36 + 20] ^= 0x10
        let crc = RecordFile.checksum(Array(bytes[36..<36 + length]), version: 2)
        bytes.replaceSubrange(32..<36, with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = try CheckpointStore.open(directory.path, key: Self.key)
        let problems = store.verify()
        #expect(problems.contains { $0.contains(path) && $0.contains("record at offset 16") && $0.contains("failed authentication") }, "\(problems)")
    }

    @Test("a side file of an encrypted store that is changed, or written in the clear, is refused")
    func sideFiles() throws {
        let directory = StoreDirectory()
        _ = try Self.record(into: directory.path)
        let store = try CheckpointStore.open(directory.path, key: Self.key)
        let path = directory.path + "/MARKS"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == Array("TSCPSIDE".utf8))
        bytes[bytes.count - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: TimelineError.recordTampered(path: path, offset: 0)) { try store.sideFiles.read("MARKS") }
        try Data("a c1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TimelineError.self) { try store.sideFiles.read("MARKS") }
        // A plain store keeps side files as they are.
        let plain = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(plain.path)
        try writer.sideFiles.write("MARKS", Array("b c1 note\n".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: plain.path + "/MARKS")) == Data("b c1 note\n".utf8))
    }

    /// A record file with its framing zeroed: the file header and every
    /// record's 20-byte header, so that only payloads are left to search.
    static func payloadsOnly(_ file: [UInt8]) -> [UInt8] {
        var bytes = file
        var position = 16
        for index in 0..<min(16, bytes.count) { bytes[index] = 0 }
        while position + 20 <= bytes.count {
            let length = (0..<8).reduce(0) { $0 | Int(bytes[position + 8 + $1]) << (8 * $1) }
            for index in position..<position + 20 { bytes[index] = 0 }
            guard length <= bytes.count - position - 20 else { break }
            position += 20 + length
        }
        return bytes
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}
