import Dispatch
import Foundation
import PackCodec
import Testing
@testable import Timeline

/// `recover` and readers of damaged stores: what is intact is kept and shown exactly, nothing is destroyed.
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

    @Test("a copy holds the store's own files byte for byte and opens the same; writing to it leaves the original as it was")
    func copy() throws {
        let directory = StoreDirectory(), copy = StoreDirectory()
        let worlds = try Self.recorded(directory)
        try Data("a c2 start\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/MARKS"))
        try Data("not the store's\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/README.md"))
        var before = try Self.folderBytes(directory.path)
        before["LOCK"] = nil
        try StoreFiles.copy(directory.path, to: copy.path)
        // Every file of the store, not the README, and no temporary folder beside the copy.
        var expected = before
        expected["README.md"] = nil
        #expect(try Self.folderBytes(copy.path) == expected)
        let parent = (copy.path as NSString).deletingLastPathComponent, name = (copy.path as NSString).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(name + ".tmp-") }.isEmpty)
        let store = try CheckpointStore.openForWriting(copy.path, create: false)
        for checkpoint in store.checkpoints { #expect(try store.snapshot(checkpoint.id) == worlds[Int(checkpoint.id.rawValue) - 1]) }
        #expect(try store.commit(Worlds.mixed(seed: 30)).id.rawValue == 9)
        var after = try Self.folderBytes(directory.path)
        after["LOCK"] = nil
        #expect(after == before, "the original was changed")
        // An existing folder is refused and left alone; a folder that is no store is named.
        #expect(throws: TimelineError.invalidRequest("\(copy.path) exists already; copy a store to a new folder")) { try StoreFiles.copy(directory.path, to: copy.path) }
        #expect(try CheckpointStore.open(copy.path).checkpoints.count == 9)
        let empty = StoreDirectory()
        try FileManager.default.createDirectory(atPath: empty.path, withIntermediateDirectories: false)
        #expect(throws: TimelineError.notAStore(path: empty.path)) { try StoreFiles.copy(empty.path, to: empty.path + "-copy") }
        #expect(!FileManager.default.fileExists(atPath: empty.path + "-copy"))
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
