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
        try store.updateSideFile("MARKS") { _ in Array("a c1\n".utf8) }
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
        #expect(try store.readSideFile("MARKS") == Array("a c1\n".utf8))
        // A MARKS that is itself a link is refused for reading, and replacing it replaces the link.
        unlink(directory.path + "/MARKS")
        symlink(outside, directory.path + "/MARKS")
        #expect(throws: TimelineError.unexpectedEntry(path: directory.path + "/MARKS", found: "a symbolic link")) { try store.readSideFile("MARKS") }
        try store.writeSideFile("MARKS", Array("b c2\n".utf8))
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

    @Test("a generation at its largest value refuses to commit instead of overflowing")
    func generationOverflow() throws {
        let directory = StoreDirectory()
        _ = try Self.recordTen(into: directory.path)
        try Self.tamperManifest(directory.path) { $0.generation = .max }
        let store = try CheckpointStore.openForWriting(directory.path)
        #expect(throws: TimelineError.self) { try store.commit(Worlds.mixed(seed: 1)) }
        #expect(throws: TimelineError.self) { try store.collectGarbage() }
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
        // A folder with other things in it is not made into a store either.
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: false)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: directory.path + "/notes.txt"))
        #expect(throws: TimelineError.self) { try CheckpointStore.openForWriting(directory.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["LOCK", "notes.txt"])
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
            _ = try? store.updateSideFile("MARKS") { old in (old ?? []) + line }
        }
        let marks = String(decoding: try CheckpointStore.open(path).readSideFile("MARKS") ?? [], as: UTF8.self)
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

@Suite struct RecoveryTests {
    static func recorded(_ directory: StoreDirectory, key: EncryptionKey? = nil) throws -> [Snapshot] {
        let store = try CheckpointStore.openForWriting(directory.path, key: key)
        var worlds: [Snapshot] = []
        for tick in 0..<8 as Range<UInt64> {
            let world = Worlds.mixed(seed: tick)
            try store.commit(world)
            worlds.append(world)
        }
        return worlds
    }

    /// Cuts `count` bytes off the end of a store file; returns its whole bytes as they were.
    @discardableResult
    static func cutTail(_ path: String, _ count: Int) throws -> [UInt8] {
        let whole = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        try Data(whole.dropLast(count)).write(to: URL(fileURLWithPath: path))
        return whole
    }

    @Test("a torn index tail: readers are told to recover; recover keeps every intact checkpoint and sets the tail aside")
    func tornIndexTail() throws {
        let directory = StoreDirectory()
        let worlds = try Self.recorded(directory)
        let whole = try Self.cutTail(directory.path + "/index-000001.tsi", 10)
        do {
            _ = try CheckpointStore.open(directory.path)
            Issue.record("a store whose index lost its tail opened")
        } catch {
            #expect(error.description.contains("tickscope recover \(directory.path)"), "\(error)")
        }
        let report = try StoreRecovery.recover(directory.path)
        #expect(report.kept.map(\.rawValue) == Array(1...7))
        #expect(report.lost.count == 1)
        let store = try CheckpointStore.open(directory.path)
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
        #expect(store.verify().isEmpty)
        // The torn bytes are kept aside, byte for byte.
        let tail = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + report.setAside[0])))
        #expect(Array(whole.dropLast(10).suffix(tail.count)) == tail)
        // And the store goes on, without reusing the lost checkpoint's id of nobody's acknowledgement.
        #expect(try CheckpointStore.openForWriting(directory.path, create: false).commit(Worlds.mixed(seed: 20)).id.rawValue == 8)
    }

    @Test("a missing MANIFEST: recover finds every checkpoint, and ids go on from the last")
    func missingManifest() throws {
        let directory = StoreDirectory()
        let worlds = try Self.recorded(directory)
        unlink(directory.path + "/MANIFEST")
        let report = try StoreRecovery.recover(directory.path)
        #expect(report.kept.count == 8)
        let store = try CheckpointStore.openForWriting(directory.path, create: false)
        #expect(try store.snapshot(CheckpointID(rawValue: 8)) == worlds[7])
        #expect(try store.commit(Worlds.mixed(seed: 9)).id.rawValue == 9)
    }

    @Test("a torn data tail: checkpoints whose blocks are gone are lost and said so; the ones before are kept exactly")
    func tornDataTail() throws {
        let directory = StoreDirectory()
        let worlds = try Self.recorded(directory)
        try Self.cutTail(directory.path + "/data-000001.tsd", 40)
        let report = try StoreRecovery.recover(directory.path)
        #expect(!report.kept.isEmpty && report.kept.count < 8)
        #expect(report.lost.contains { $0.contains("which no data file holds") })
        let store = try CheckpointStore.open(directory.path)
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
    }

    /// Every file of a store folder and its bytes, to check that a reader changed nothing.
    static func folderBytes(_ path: String) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
        }
        return files
    }

    @Test("readers of a damaged store see every intact checkpoint exactly, are told what is missing, and change nothing",
          arguments: ["index tail", "data tail", "corrupt index record", "missing data file", "whole"])
    func readersSeeWhatIsIntact(damage: String) throws {
        let directory = StoreDirectory()
        let worlds = try Self.recorded(directory)
        let indexPath = directory.path + "/index-000001.tsi", dataPath = directory.path + "/data-000001.tsd"
        switch damage {
        case "index tail": try Self.cutTail(indexPath, 10)
        case "data tail": try Self.cutTail(dataPath, 40)
        case "corrupt index record":
            // A byte in the middle of the index: the records before it are kept.
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: indexPath)))
            bytes[bytes.count / 2] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
        case "missing data file": unlink(dataPath)
        default: break
        }
        let before = try Self.folderBytes(directory.path)
        let store = try CheckpointStore.openIntact(directory.path)
        #expect(try Self.folderBytes(directory.path) == before, "a reader changed the folder")
        let ids = store.checkpoints.map { Int($0.id.rawValue) }
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
        switch damage {
        case "whole":
            #expect(store.damage.isEmpty)
            #expect(ids == Array(1...8))
            #expect(try CheckpointStore.open(directory.path).checkpoints == store.checkpoints)
        case "missing data file":
            #expect(ids.isEmpty)
            #expect(store.damage.contains { $0.contains("data-000001.tsd") }, "\(store.damage)")
        default:
            #expect(!ids.isEmpty && ids.count < 8, "\(damage): \(ids)")
            #expect(ids == Array(1...ids.count), "the intact checkpoints are the first ones")
            #expect(store.damage.count >= 1, "\(damage)")
            #expect(throws: TimelineError.self) { try CheckpointStore.open(directory.path) }
        }
        #expect(store.verify().isEmpty)
        // A damaged store is not followed, and a writer still refuses it until it is recovered.
        #expect(try store.refresh() == false)
        if damage != "whole" { #expect(throws: TimelineError.self) { try CheckpointStore.openForWriting(directory.path, create: false) } }
    }

    @Test("recover into another folder: the copy keeps every intact checkpoint exactly; the original's files are left byte for byte")
    func recoverIntoCopy() throws {
        let directory = StoreDirectory(), copy = StoreDirectory()
        let worlds = try Self.recorded(directory)
        try Self.cutTail(directory.path + "/index-000001.tsi", 10)
        try Data("a c2 start\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/MARKS"))
        var before = try Self.folderBytes(directory.path)
        before["LOCK"] = nil
        let report = try StoreRecovery.recover(directory.path, into: copy.path)
        var after = try Self.folderBytes(directory.path)
        after["LOCK"] = nil
        #expect(after == before, "the original was changed")
        #expect(report.kept.map(\.rawValue) == Array(1...7))
        let store = try CheckpointStore.open(copy.path)
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
        #expect(store.verify().isEmpty)
        #expect(try Self.folderBytes(copy.path)["MARKS"] == Array("a c2 start\n".utf8))
        // A folder that holds anything is refused, and nothing is written to it.
        #expect(throws: TimelineError.self) { try StoreRecovery.recover(directory.path, into: copy.path) }
        #expect(try CheckpointStore.openForWriting(copy.path, create: false).commit(Worlds.mixed(seed: 30)).id.rawValue == 8)
    }

    @Test("an encrypted store recovers with its key; without its MANIFEST's store id it says so and changes nothing")
    func encrypted() throws {
        let directory = StoreDirectory()
        let key = try EncryptionKey(bytes: Array(repeating: 7, count: 32))
        let worlds = try Self.recorded(directory, key: key)
        try Self.cutTail(directory.path + "/index-000001.tsi", 3)
        #expect(throws: TimelineError.keyRequired(path: directory.path)) { try StoreRecovery.recover(directory.path) }
        #expect(try StoreRecovery.recover(directory.path, key: key).kept.count == 7)
        // The MANIFEST gone: its store id is read from STOREID, and everything comes back.
        let manifest = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST"))
        unlink(directory.path + "/MANIFEST")
        #expect(try StoreRecovery.recover(directory.path, key: key).kept.count == 7)
        let store = try CheckpointStore.open(directory.path, key: key)
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
        // Without STOREID as well (or with another store's), recovery says so and changes nothing.
        for planted in [nil, String(repeating: "ab", count: 16) + "\n"] {
            try manifest.write(to: URL(fileURLWithPath: directory.path + "/MANIFEST"))
            _ = try StoreRecovery.recover(directory.path, key: key)
            unlink(directory.path + "/MANIFEST")
            unlink(directory.path + "/STOREID")
            if let planted { try Data(planted.utf8).write(to: URL(fileURLWithPath: directory.path + "/STOREID")) }
            let before = try Self.folderBytes(directory.path)
            #expect(throws: TimelineError.self) { try StoreRecovery.recover(directory.path, key: key) }
            var after = try Self.folderBytes(directory.path)
            after["LOCK"] = before["LOCK"]
            #expect(after == before, "recovery changed the folder")
        }
    }
}
