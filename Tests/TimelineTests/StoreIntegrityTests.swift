import Dispatch
import Foundation
import PackCodec
import Testing
@testable import Timeline

/// Regression tests for the store defects of issue 12: each names the
/// defect it pins and fails on the store as it was before.
@Suite struct StoreIntegrityTests {
    static func fileSize(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func recordTen(into path: String) throws -> CheckpointStore {
        let store = try CheckpointStore.openForWriting(path)
        for tick in 0..<10 as Range<UInt64> { try store.commit(Worlds.mixed(seed: tick)) }
        return store
    }

    /// A store of ten checkpoints, its data file and that file's size.
    static func recordedTen() throws -> (directory: StoreDirectory, dataPath: String, size: UInt64) {
        let directory = StoreDirectory()
        _ = try recordTen(into: directory.path)
        let dataPath = directory.path + "/data-000001.tsd"
        return (directory, dataPath, fileSize(dataPath))
    }

    @Test("an index record whose archetype claims more entities than its blocks hold: reading is an error naming the block, never a short column")
    func blockLengthAgainstEntityCount() throws {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path)
        let body = ComponentType(name: "Body", fields: [Field("x", .float32)])
        let world = Snapshot(schema: Schema(components: [body]), archetypes: [
            Archetype(components: [body], entities: (1...10).map { EntityID($0) }, columns: [Column((1...10).map { Float($0) })]),
        ])
        let honest = try writer.commit(world)
        // A hostile record: the same blocks, an archetype of 15 entities.
        var lying = honest
        lying.id = CheckpointID(rawValue: honest.id.rawValue + 1)
        lying.parent = honest.id
        lying.tick = 1
        lying.archetypes[0].entityCount = 15
        try writer.writer!.commitRecords([.checkpoint(lying)])
        let store = try CheckpointStore.open(directory.path)
        let stored = try #require(store.checkpoint(lying.id)).archetypes[0]
        #expect(stored.columns[0].valueCount == 15)
        #expect(throws: TimelineError.self) { try store.column(stored.columns[0], label: "x") }
        do {
            _ = try store.entities(stored.entities, label: "ids")
            Issue.record("a short id block was handed on")
        } catch {
            #expect("\(error)".contains("the block holds 10 values, its archetype 15 entities"), "\(error)")
        }
        // The honest checkpoint still reads, from the same blocks (and the cache does not leak them to the liar).
        #expect(try store.column(try #require(store.checkpoint(honest.id)).archetypes[0].columns[0], label: "x").count == 10)
        #expect(throws: TimelineError.self) { try store.column(stored.columns[0], label: "x") }
        #expect(throws: TimelineError.self) { _ = try store.decode(stored, label: "c2") }
        #expect(throws: QueryError.self) { _ = try store.run(try Query.parse("Body.x > 0 at c2")) }
    }

    @Test("checkpoint ids are never given out again after prune and gc; a fork point that is gone stays named by its own id")
    func idsNeverReused() throws {
        let directory = StoreDirectory()
        do {
            let store = try Self.recordTen(into: directory.path)
            try store.fork(from: CheckpointID(rawValue: 9), name: "side")
            try store.prune(.afterTick(5))
            try store.collectGarbage()
        }
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            #expect(store.checkpoints.map(\.id.rawValue) == [1, 2, 3, 4, 5, 6])
            let next = try store.commit(Worlds.mixed(seed: 10))
            #expect(next.id.rawValue == 11)
            #expect(store.checkpoint(CheckpointID(rawValue: 9)) == nil, "c9 is gone and no new world answers to it")
            #expect(store.branches.first { $0.name == "side" }?.forkedFrom == CheckpointID(rawValue: 9))
            // And after a second gc with nothing deleted in between.
            try store.collectGarbage()
        }
        #expect(try CheckpointStore.openForWriting(directory.path, create: false).commit(Worlds.mixed(seed: 11)).id.rawValue == 12)
    }

    @Test("a LOCK that is a symbolic link is refused: the file it points at is neither truncated nor printed")
    func lockSymlink() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        let secret = directory.path + ".secret"
        defer { unlink(secret) }
        try Data("pid 1 on SECRET-KEY-BYTES\n".utf8).write(to: URL(fileURLWithPath: secret))
        unlink(directory.path + "/LOCK")
        symlink(secret, directory.path + "/LOCK")
        #expect(throws: TimelineError.unexpectedEntry(path: directory.path + "/LOCK", found: "a symbolic link")) {
            try CheckpointStore.openForWriting(directory.path)
        }
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "pid 1 on SECRET-KEY-BYTES\n")
    }

    @Test("a LOCK that holds anything but a lock line is never repeated back")
    func lockContentsNotEchoed() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        try Data([0xa6, 0xab, 0x01, 0x02] + Array("binary".utf8)).write(to: URL(fileURLWithPath: directory.path + "/LOCK"))
        let store = try CheckpointStore.openForWriting(directory.path)
        #expect(store.recoveredLock == "an unreadable lock file")
    }

    @Test("planted MARKS.tmp links and a linked MARKS: marks never write through them")
    func marksSymlinks() throws {
        let directory = StoreDirectory()
        let store = try Self.recordTen(into: directory.path)
        let outside = directory.path + ".outside"
        defer { unlink(outside) }
        try Data("precious".utf8).write(to: URL(fileURLWithPath: outside))
        symlink(outside, directory.path + "/MARKS.tmp-\(getpid())")
        try store.sideFiles.update("MARKS") { _ in Array("a c1\n".utf8) }
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
        #expect(try store.sideFiles.read("MARKS") == Array("a c1\n".utf8))
        // A MARKS that is itself a link is refused for reading, and replacing it replaces the link.
        unlink(directory.path + "/MARKS")
        symlink(outside, directory.path + "/MARKS")
        #expect(throws: TimelineError.unexpectedEntry(path: directory.path + "/MARKS", found: "a symbolic link")) { try store.sideFiles.read("MARKS") }
        try store.sideFiles.write("MARKS", Array("b c2\n".utf8))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
    }

    @Test("a data file that is a symbolic link, or a FIFO, is refused with a message instead of read")
    func linkedDataFile() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        let data = directory.path + "/data-000001.tsd"
        let elsewhere = directory.path + ".data"
        defer { unlink(elsewhere) }
        rename(data, elsewhere)
        symlink(elsewhere, data)
        #expect(throws: TimelineError.unexpectedEntry(path: data, found: "a symbolic link")) { try CheckpointStore.open(directory.path) }
        unlink(data)
        mkfifo(data, 0o644)
        #expect(throws: TimelineError.unexpectedEntry(path: data, found: "a FIFO")) { try CheckpointStore.open(directory.path) }
    }

    /// Rewrites the MANIFEST with `change` applied, CRC fixed.
    static func tamperManifest(_ directory: String, _ change: (inout StoreManifest) -> Void) throws {
        let path = directory + "/MANIFEST"
        var manifest = try StoreManifest.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
        change(&manifest)
        try Data(manifest.bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("MANIFEST lengths past the files, or huge, are clear errors naming the field; nothing crashes and nothing is truncated")
    func manifestLengths() throws {
        let (directory, dataPath, size) = try Self.recordedTen()
        for length in [UInt64(1) << 63, UInt64.max, size + 1] {
            try Self.tamperManifest(directory.path) { $0.dataFiles[0].length = length }
            #expect(throws: TimelineError.manifestContradiction(
                path: directory.path + "/MANIFEST", field: "data file 1 length",
                reason: "is \(length), but \(dataPath) holds only \(size) bytes")) { try CheckpointStore.open(directory.path) }
            #expect(throws: TimelineError.self) { try CheckpointStore.openForWriting(directory.path) }
        }
        try Self.tamperManifest(directory.path) { $0.index.length = UInt64(1) << 63 }
        #expect(throws: TimelineError.self) { try CheckpointStore.open(directory.path) }
        #expect(Self.fileSize(dataPath) == size)
    }

    @Test("a data length below what the index references is an error for readers and writers, and no writer truncates the data")
    func manifestLengthBelowReferences() throws {
        let (directory, dataPath, size) = try Self.recordedTen()
        try Self.tamperManifest(directory.path) { $0.dataFiles[0].length = 16 }
        #expect(throws: TimelineError.self) { try CheckpointStore.open(directory.path) }
        do {
            _ = try CheckpointStore.openForWriting(directory.path)
            Issue.record("a writer opened a store whose MANIFEST contradicts its index")
        } catch {
            #expect(error.description.contains("MANIFEST's data file 1 length is 16, but c1 references bytes"), "\(error)")
        }
        #expect(Self.fileSize(dataPath) == size, "the data file keeps every byte")
    }

    @Test("a MANIFEST rolled back to an earlier generation: a writer copies the later records aside, byte for byte, before it cuts them; a torn tail is just cut")
    func rolledBackManifest() throws {
        let directory = StoreDirectory()
        let old: Data
        do {
            let writer = try CheckpointStore.openForWriting(directory.path)
            try writer.commit(Worlds.mixed(seed: 1))
            try writer.commit(Worlds.mixed(seed: 2))
            old = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST"))
            for seed in 3...5 as ClosedRange<UInt64> { try writer.commit(Worlds.mixed(seed: seed)) }
        }
        let index = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/index-000001.tsi")))
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/data-000001.tsd")))
        try old.write(to: URL(fileURLWithPath: directory.path + "/MANIFEST"))
        do {
            let reopened = try CheckpointStore.openForWriting(directory.path, create: false)
            #expect(reopened.checkpoints.count == 2)
            #expect(Set(reopened.setAside) == ["index-000001.tsi.tail-set-aside-2", "data-000001.tsd.tail-set-aside-2"], "\(reopened.setAside)")
            for (name, whole) in [("index-000001.tsi", index), ("data-000001.tsd", data)] {
                let cut = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + name)))
                let aside = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/\(name).tail-set-aside-2")))
                #expect(cut + aside == whole, "\(name): the cut bytes are kept")
        }
        try reopened.commit(Worlds.mixed(seed: 9))
        }
        // A torn record (what a crash during an append leaves) is cut without a copy.
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path + "/index-000001.tsi"))
        file.seekToEndOfFile()
        file.write(Data([0x54, 0x53, 0x52, 0x43, 1, 0, 0]))
        try file.close()
        #expect(try CheckpointStore.openForWriting(directory.path, create: false).setAside.isEmpty)
    }

    @Test("deleting a branch takes its own checkpoints, not those before its fork point; ids stay used; the name is free; a parent branch is refused")
    func deleteBranch() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in 0..<4 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
        try store.fork(from: CheckpointID(rawValue: 2), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "9")])
        try store.commit(Worlds.mixed(seed: 10), branch: "fix")
        try store.fork(from: CheckpointID(rawValue: 6), name: "deeper")
        #expect(throws: TimelineError.invalidRequest("branch deeper was forked from c6, a checkpoint of fix; delete deeper first")) { try store.deleteBranch("fix") }
        #expect(try store.deleteBranch("deeper") == [])
        #expect(try store.deleteBranch("fix") == [CheckpointID(rawValue: 5), CheckpointID(rawValue: 6)])
        #expect(throws: TimelineError.unknownBranch("fix")) { try store.deleteBranch("fix") }
        #expect(store.branches.map(\.name) == ["main"] && store.checkpoints.map(\.id.rawValue) == [1, 2, 3, 4])
        // The only branch left holds the whole recording: deleting it is refused, and deletes nothing.
        #expect(throws: TimelineError.self) { try store.deleteBranch("main") }
        #expect(store.branches.map(\.name) == ["main"] && store.checkpoints.map(\.id.rawValue) == [1, 2, 3, 4])
        // The name is free again; ids go on after the deleted ones.
        let again = try store.fork(from: CheckpointID(rawValue: 3), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "1")])
        #expect(again.checkpoint?.id.rawValue == 7)
        // Reopened, and after gc, the same.
        for collect in [false, true] {
            if collect { _ = try store.collectGarbage() }
            let reopened = try CheckpointStore.open(directory.path)
            #expect(reopened.branches.map(\.name) == ["main", "fix"])
            #expect(try reopened.timeline(of: "fix").map(\.id.rawValue) == [1, 2, 3, 7])
        }
        #expect(try store.commit(Worlds.mixed(seed: 11)).id.rawValue == 8)
    }

    @Test("renaming a branch moves its checkpoints and keeps its fork point; the old name is free; reopened, after gc and by a follower, the same")
    func renameBranch() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in 0..<3 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
        try store.fork(from: CheckpointID(rawValue: 2), name: "fork-1", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "9")])
        try store.commit(Worlds.mixed(seed: 10), branch: "fork-1")
        let follower = try CheckpointStore.open(directory.path)
        try store.renameBranch("fork-1", to: "fix")
        #expect(throws: TimelineError.unknownBranch("fork-1")) { try store.renameBranch("fork-1", to: "other") }
        #expect(throws: TimelineError.branchExists("main")) { try store.renameBranch("fix", to: "main") }
        #expect(throws: TimelineError.self) { try store.renameBranch("fix", to: "a@b") }
        #expect(try follower.refresh())
        for collect in [false, true] {
            if collect { _ = try store.collectGarbage() }
            for reader in [try CheckpointStore.open(directory.path), follower] {
                #expect(reader.branches.map(\.name) == ["main", "fix"])
                #expect(reader.branches[1].forkedFrom == CheckpointID(rawValue: 2))
                #expect(try reader.timeline(of: "fix").map(\.id.rawValue) == [1, 2, 4, 5])
                #expect(reader.checkpoints.filter { $0.branch == "fix" }.map(\.id.rawValue) == [4, 5])
                #expect(throws: TimelineError.unknownBranch("fork-1")) { try reader.timeline(of: "fork-1") }
            }
            if !collect { _ = try follower.refresh() }
        }
        // The old name is free for a new branch.
        try store.fork(from: CheckpointID(rawValue: 3), name: "fork-1")
        #expect(store.branches.map(\.name) == ["main", "fix", "fork-1"])
    }

    @Test("the rename record's bytes (docs/STORE.md, kind 6): two strings, each a u32 length and UTF-8")
    func renameRecordBytes() throws {
        let record = IndexRecord.branchRenamed(from: "fork-9", to: "fix")
        #expect(record.kind == 6)
        #expect(record.payload == [6, 0, 0, 0] + Array("fork-9".utf8) + [3, 0, 0, 0] + Array("fix".utf8))
        #expect(try IndexRecord.parse(kind: 6, payload: record.payload) == record)
    }

    @Test("a generation at its largest value refuses to commit instead of overflowing")
    func generationOverflow() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        try Self.tamperManifest(directory.path) { $0.generation = .max }
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            #expect(throws: TimelineError.self) { try store.commit(Worlds.mixed(seed: 1)) }
            #expect(throws: TimelineError.self) { try store.delete([CheckpointID(rawValue: 1)]) }
        }
        try Self.tamperManifest(directory.path) { $0.generation = .max - 1 }
        let again = try CheckpointStore.openForWriting(directory.path)
        try again.delete([CheckpointID(rawValue: 1)])
        #expect(throws: TimelineError.self, "gc has garbage to take out, and no generation to do it in") { try again.collectGarbage() }
    }

    @Test("a folder with store files but no MANIFEST is never initialised again; the error says how to recover")
    func missingManifest() throws {
        let (directory, dataPath, size) = try Self.recordedTen()
        unlink(directory.path + "/MANIFEST")
        do {
            _ = try CheckpointStore.openForWriting(directory.path)
            Issue.record("a writer initialised a folder full of store files")
        } catch {
            guard case .manifestMissing(let path, let files) = error else { Issue.record("\(error)"); return }
            #expect(path == directory.path)
            #expect(files == ["data-000001.tsd", "index-000001.tsi"])
            #expect(error.description.contains("tickscope recover"))
        }
        #expect(Self.fileSize(dataPath) == size)
        #expect(throws: TimelineError.manifestMissing(path: directory.path, files: ["data-000001.tsd", "index-000001.tsi"])) {
            try CheckpointStore.open(directory.path)
        }
    }

    @Test("commands that only change a store never create one: a mistyped path is 'not a store' and stays absent")
    func noCreationWithoutCreate() throws {
        let directory = StoreDirectory()
        #expect(throws: TimelineError.notAStore(path: directory.path)) { try CheckpointStore.openForWriting(directory.path, create: false) }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        // A folder with other things in it is not made into a store either, and keeps no LOCK.
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: false)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: directory.path + "/notes.txt"))
        #expect(throws: TimelineError.self) { try CheckpointStore.openForWriting(directory.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["notes.txt"])
    }

    @Test("26 sessions setting one mark each at once keep all 26")
    func concurrentMarks() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let path = directory.path
        DispatchQueue.concurrentPerform(iterations: letters.count) { index in
            // Each session opens its own handle and holds its own (stale) view.
            guard let store = try? CheckpointStore.open(path) else { return }
            let line = Array("\(letters[index]) c\(index % 10 + 1)\n".utf8)
            _ = try? store.sideFiles.update("MARKS") { old in (old ?? []) + line }
        }
        let marks = String(decoding: try CheckpointStore.open(path).sideFiles.read("MARKS") ?? [], as: UTF8.self)
        #expect(Set(marks.split(separator: "\n").map { $0.first! }) == Set(letters))
    }

    @Test("branch names: empty, @, /, .., control characters and overlong names are refused by fork and commit alike")
    func branchNames() throws {
        let directory = StoreDirectory()
        let store = try Self.recordTen(into: directory.path)
        for name in ["", "x@y", "a/b", "..", "line\nbreak", "tab\there", String(repeating: "n", count: 101), " padded"] {
            #expect(throws: TimelineError.self, "\(name.debugDescription)") { try store.fork(from: CheckpointID(rawValue: 1), name: name) }
            #expect(throws: TimelineError.self, "\(name.debugDescription)") { try store.commit(Worlds.mixed(seed: 0), branch: name) }
        }
        try store.fork(from: CheckpointID(rawValue: 1), name: "fix-π 2")
        #expect(store.branches.map(\.name) == ["main", "fix-π 2"])
    }
}

extension StoreIntegrityTests {
    @Test("a block whose own CRC-32 is wrong under a correct record checksum (a full block, an id block, a delta's rows): reads take the record's word for the bytes, verify names the block's checksum")
    func blockChecksumUnderRecordChecksum() throws {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path)
        let body = ComponentType(name: "Body", fields: [Field("x", .float32)])
        let values = (1...1_000).map { Float($0) * 0.5 }
        let world = Snapshot(schema: Schema(components: [body]), archetypes: [
            Archetype(components: [body], entities: (1...1_000).map { EntityID($0) }, columns: [Column(values)]),
        ])
        let first = try writer.commit(world, options: WriteOptions(codec: .zstd(level: 1)))
        let ref = first.archetypes[0].columns[0], idsRef = first.archetypes[0].entities
        var changed = values
        changed[10] = -1
        var next = world
        next.archetypes[0].columns[0] = Column(changed)
        let deltaRef = try writer.commit(next, options: WriteOptions(codec: .zstd(level: 1))).archetypes[0].columns[0]
        let path = directory.path + "/data-000001.tsd"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // A full block's payload: u8 type, u64 count, the 40-byte descriptor whose last 4 bytes are the block's CRC-32.
        // A delta's (kind 3, no remap): base reference (52), depth, flags, u64 length, then its rows block, laid out the same.
        for (ref, checksum) in [(ref, 9 + 36), (idsRef, 9 + 36), (deltaRef, 52 + 1 + 1 + 8 + 9 + 36)] {
            let payload = Int(ref.offset), length = Int(ref.length)
            bytes[payload + checksum] ^= 0xFF
            let crc = RecordFile.checksum(Array(bytes[payload..<payload + length]), version: 2)
            withUnsafeBytes(of: crc.littleEndian) { for (index, byte) in $0.enumerated() { bytes[payload - 4 + index] = byte } }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = try CheckpointStore.open(directory.path)
        #expect(try store.column(ref, label: "x").values(as: Float.self) == values)
        #expect(try store.column(deltaRef, label: "x").values(as: Float.self) == changed)
        #expect(try store.entities(idsRef, label: "ids") == world.archetypes[0].entities)
        #expect(try store.changedRows(of: deltaRef, against: ref) == [10])
        let problems = try CheckpointStore.open(directory.path).verify()
        #expect(problems.count == 3 && problems.allSatisfy { $0.contains(path) && $0.contains("checksum") }, "\(problems)")
    }
}
