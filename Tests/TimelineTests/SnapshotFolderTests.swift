import Foundation
import PackCodec
import Testing
import Timeline

@Suite struct SnapshotFolderTests {
    @Test("named snapshots save, list in world-time order, load exactly and delete")
    func roundTrip() throws {
        let directory = StoreDirectory()
        let folder = try SnapshotFolder(path: directory.path)
        try folder.save(Worlds.mixed(seed: 8), name: "later", info: CheckpointInfo(description: "after", tags: ["b"]))
        let early = try folder.save(Worlds.mixed(seed: 2), name: "bug-repro", info: CheckpointInfo(description: "Health < 0", tags: ["bug"], custom: ["issue": "12"]))
        #expect(early.tick == 2 && early.worldTime == 1 && early.entityCount == 5)
        #expect(try folder.list().map(\.name) == ["bug-repro", "later"])
        #expect(try folder.entry("bug-repro").custom == ["issue": "12"])
        #expect(try folder.load("bug-repro") == Worlds.mixed(seed: 2))
        let json = try String(contentsOfFile: directory.path + "/bug-repro.meta.json", encoding: .utf8)
        #expect(json.contains("\"world_time\" : 1"))
        try folder.delete("later")
        #expect(try folder.list().map(\.name) == ["bug-repro"])
        #expect(throws: TimelineError.self) { try folder.save(Worlds.mixed(seed: 0), name: "../escape") }
        #expect(throws: TimelineError.self) { try folder.load("missing") }
    }
}

@Suite struct SnapshotFolderErrorTests {
    @Test("a missing or broken metadata file is an error naming the file and what is wrong")
    func metadataErrors() throws {
        let directory = StoreDirectory()
        let folder = try SnapshotFolder(path: directory.path)
        do {
            _ = try folder.entry("absent")
            Issue.record("a missing entry was read")
        } catch {
            #expect("\(error)".contains(directory.path + "/absent.meta.json: No such file or directory"), "\(error)")
        }
        try Data(#"{"name": 3}"#.utf8).write(to: URL(fileURLWithPath: directory.path + "/broken.meta.json"))
        do {
            _ = try folder.entry("broken")
            Issue.record("a broken entry was read")
        } catch {
            #expect("\(error)".contains(directory.path + "/broken.meta.json: ") && "\(error)".contains(" at name"), "\(error)")
        }
    }

    @Test("blanks at either end of a typed line go, line breaks and inner spaces stay")
    func trimmingBlanks() {
        #expect(" \t sort  Position.x \t".trimmingBlanks == "sort  Position.x")
        #expect("   ".trimmingBlanks == "")
        #expect("\u{00A0}a\n".trimmingBlanks == "a\n")
        #expect("a"[...].trimmingBlanks == "a")
    }
}
