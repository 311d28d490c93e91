import Foundation
import Simulations
import PackCodec
import Testing
import Timeline
@testable import ScopeUI

extension FeatureTests {
    @Test("o draws the selected entity's lifeline as a lane; ) and ( walk its events; a click on the lane seeks; o again removes it")
    func lifelineLane() throws {
        let debugger = try Self.debugger(keys: "a # 2 6 5 ENTER o")
        debugger.finishPendingWork()
        let lifeline = try #require(debugger.lifeline)
        #expect(lifeline.entity == EntityID(265) && lifeline.isComplete)
        let lines = debugger.screen(width: 110, height: 24).lines
        let lane = try #require(lines.first { $0.hasPrefix("#265 life") })
        #expect(lane.contains("+") && lane.contains("•") && lane.contains(">") && lane.contains("x"), "\(lane)")
        #expect(lane.hasSuffix(" changes, 1 move "), "\(lane)")
        // ) goes to the next event after tick 0: the first checkpoint where a field of #265 changed.
        try Self.press(")", on: debugger)
        let first = try #require(lifeline.events.indices.first { $0 > 0 && lifeline.events[$0].isNotable })
        #expect(debugger.cursor.position == first && debugger.selectedCell?.entity == EntityID(265))
        #expect(debugger.message?.text.hasPrefix("#265 at \(debugger.cursor.current!.id): changed ") == true)
        // From the end, ( goes back to the despawn, where no row is selected for it.
        try Self.press("G (", on: debugger)
        let despawn = try #require(lifeline.events.firstIndex(of: .despawned))
        #expect(debugger.cursor.position == despawn && debugger.message?.text.hasSuffix(": despawned") == true)
        try Self.press("(", on: debugger)
        #expect(debugger.cursor.position == despawn - 1 && debugger.selectedCell?.entity == EntityID(265))
        // A click on the lane's left end goes to the first checkpoint.
        let y = try #require(lines.firstIndex(of: lane))
        try Self.press("CLICK:11,\(y)", on: debugger)
        #expect(debugger.cursor.position == 0)
        try Self.press("# 2 6 5 ENTER o", on: debugger)
        #expect(debugger.lifeline == nil && !debugger.screen(width: 110, height: 24).lines.contains { $0.hasPrefix("#265 life") })
    }
}

extension FeatureTests {
    /// Flips one bit in the middle of block `ref`'s record in the store at `path`: its checksum fails.
    static func flipByte(in ref: BlockRef, of path: String) throws {
        let data = path + "/data-00000\(ref.file).tsd"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[Int(ref.offset + ref.length / 2)] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: data))
    }

    @Test("a checkpoint whose block fails its checksum: marked ! on the timeline, stepping skips it with a message, seeking to it shows why and no stale table, :stats reports the step")
    func damagedCheckpoint() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Flip one byte inside the Health column's block of the animals at tick 80 (its own block, not shared).
        let clean = try CheckpointStore.open(path)
        let victim = try clean.resolve("80")
        let before = try clean.resolve("79")
        let ref = victim.archetypes[1].columns[3]
        #expect(ref.contentHash != before.archetypes[1].columns[3].contentHash, "the block belongs to tick 80")
        try Self.flipByte(in: ref, of: path)
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "a RIGHT RIGHT RIGHT", at: "79")
        try Self.press("l", on: debugger)
        #expect(debugger.cursor.current!.tick > 80 && debugger.table != nil, "stepped past tick 80 to \(debugger.cursor.current!.tick)")
        #expect(debugger.message?.isError == true && debugger.message?.text.hasPrefix("skipped \(victim.id)") == true, "\(debugger.message?.text ?? "")")
        #expect(debugger.damaged[victim.id] != nil)
        var lines = debugger.screen(width: 120, height: 24).lines
        #expect(lines[1].contains("!"), "\(lines[1])")
        // Back over it, then straight to it.
        try Self.press("h", on: debugger)
        #expect(debugger.cursor.current!.tick < 80 && debugger.table != nil)
        try Self.press(": 8 0 ENTER", on: debugger)
        #expect(debugger.cursor.current?.id == victim.id && debugger.table == nil, "no table of another checkpoint under c81's title")
        lines = debugger.screen(width: 250, height: 24).lines
        #expect(lines.contains { $0.contains("\(victim.id) cannot be read: ") && $0.contains("checksum mismatch (XXH3") }, "\(lines.joined(separator: "\n"))")
        try Self.press("h : TEXT:stats ENTER", on: debugger)
        let stats = try #require(debugger.message?.text)
        #expect(stats.hasPrefix("\(debugger.cursor.current!.id): ") && stats.contains(" blocks decoded (") && stats.contains(" cache hit") && stats.contains(" ms; \(debugger.damaged.count) damaged checkpoint"), "\(stats)")
        #expect(!debugger.isFinished)
        // Work along the timeline goes past it: a watch has no value there only, a lifeline marks it,
        // and a search skips it and says so.
        let fresh = try Self.debugger(CheckpointStore.open(path), keys: "a # 2 6 5 ENTER RIGHT RIGHT RIGHT w o", at: "70")
        fresh.finishPendingWork()
        let index = try #require(fresh.cursor.checkpoints.firstIndex { $0.id == victim.id })
        let watch = try #require(fresh.watches.first)
        #expect(watch.isComplete && watch.values[index] == nil && watch.values[index - 1] != nil && watch.values[(index + 1)...].contains { $0 != nil })
        #expect(fresh.lifeline?.events[index] == .unreadable && fresh.lifeline?.isComplete == true)
        // Arithmetic, which block statistics cannot decide: every checkpoint is read, the damaged one too.
        try Self.press("/ TEXT:Health.value SPACE + SPACE 0 SPACE < SPACE TEXT:-1000 ENTER F", on: fresh)
        #expect(fresh.message?.text.contains("\(victim.id)") == true && fresh.message?.text.contains("could not be read (marked !)") == true,
                "\(fresh.message?.text ?? "")")
        // A plain comparison is decided by the statistics in the index: the damaged block is never read.
        try Self.press("ESC / TEXT:Health.value SPACE < SPACE TEXT:-1000 ENTER F", on: fresh)
        #expect(fresh.message?.text.hasPrefix("none: ") == true && fresh.message?.text.contains("could not be read") == false,
                "\(fresh.message?.text ?? "")")
    }

    @Test("G onto a last checkpoint that cannot be read lands on the one before it and names the one skipped")
    func damagedEnd() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clean = try CheckpointStore.open(path)
        let last = try clean.resolve("200"), before = try clean.resolve("199")
        let index = try #require(last.archetypes[0].columns.indices.first { last.archetypes[0].columns[$0].contentHash != before.archetypes[0].columns[$0].contentHash })
        let ref = last.archetypes[0].columns[index]
        try Self.flipByte(in: ref, of: path)
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "G")
        #expect(debugger.cursor.current?.tick == 199 && debugger.table != nil)
        #expect(debugger.message?.text.hasPrefix("skipped \(last.id): cannot be read") == true, "\(debugger.message?.text ?? "")")
    }
}

extension FeatureTests {
    @Test("B compares tick by tick through the engine: a fork resumed every 2nd tick, the same as main, does not diverge; one edited at tick 60 diverges there")
    func divergeByTick() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try CheckpointStore.openForWriting(path)
            try store.fork(from: try store.resolve("50").id, name: "same")
            try SimulationRecorder.resume(Ecosystem.self, branch: "same", in: store, ticks: 20, every: 2)
            try store.fork(from: try store.resolve("60").id, name: "edited", edits: [.set(entity: EntityID(265), component: "Health", field: "value", value: "7")])
        }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: ": TEXT:branch SPACE TEXT:same ENTER B")
        // The next branch after same is edited: the same worlds up to tick 58 (same's own every 2nd tick from 52), the edit at 60.
        #expect(debugger.message?.text.hasPrefix("same and edited diverge at ") == true && debugger.message?.text.contains("(tick 60): 1 cell differ") == true,
                "\(debugger.message?.text ?? "")")
        try Self.press(": TEXT:diverge SPACE TEXT:main ENTER", on: debugger)
        #expect(debugger.message?.text.hasPrefix("same and main do not diverge: the same world at each of the ") == true, "\(debugger.message?.text ?? "")")
        try Self.press(": TEXT:branch SPACE TEXT:edited ENTER : TEXT:diverge SPACE TEXT:main ENTER", on: debugger)
        #expect(debugger.message?.text.hasPrefix("edited and main diverge at ") == true && debugger.message?.text.contains("(tick 60): 1 cell differ") == true,
                "\(debugger.message?.text ?? "")")
        let main60 = try CheckpointStore.open(path).resolve("main@60").id
        #expect(debugger.cursor.current?.tick == 60 && debugger.diffBase == main60)
    }
}

extension FeatureTests {
    @Test("after a resume, an edit the run recomputed at its first step is named in the status line")
    func recomputedEditMessage() throws {
        let folder = NSTemporaryDirectory() + "tickscope-orbits-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: ScreenTests.sample).deletingLastPathComponent().appendingPathComponent("orbits").path, toPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let debugger = try Self.debugger(CheckpointStore.open(folder), keys: "j RIGHT RIGHT RIGHT RIGHT RIGHT e CTRL-U - 4 5 ENTER f ENTER")
        #expect(debugger.branch == "fork-0")
        // What the resume command would record, done here; the command itself only has to succeed.
        do { try SimulationRecorder.resume(Orbits.self, branch: "fork-0", in: try CheckpointStore.openForWriting(folder), ticks: 8, every: 4) }
        debugger.resumeCommand = { _ in "true" }
        try Self.press("R ENTER", on: debugger)
        Self.waitForResume(debugger)
        #expect(debugger.message?.text == "resumed fork-0; your edit of #1 Orbit.energy was recomputed at tick 4 (the fork has main's value again): edit what it is computed from",
                "\(debugger.message?.text ?? "")")
    }
}

extension FeatureTests {
    @Test("v lists the branches; Enter switches, r renames, d asks before it deletes and y deletes; any other key keeps the branch")
    func branchList() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try CheckpointStore.openForWriting(path)
            try store.fork(from: try store.resolve("50").id, name: "fix", edits: [.set(entity: EntityID(265), component: "Health", field: "value", value: "5")])
        }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "v")
        var lines = debugger.screen(width: 100, height: 24).lines
        #expect(lines.contains { $0.contains("● main") && $0.contains("201") && $0.contains("0..200") })
        #expect(lines.contains { $0.contains("  fix") && $0.contains("c51 (tick 50)") && $0.contains("50..50") }, "\(lines.joined(separator: "\n"))")
        try Self.press("j ENTER", on: debugger)
        #expect(debugger.branch == "fix" && debugger.mode == .normal)
        try Self.press("v r CTRL-U TEXT:health-fix ENTER", on: debugger)
        #expect(debugger.branch == "health-fix" && debugger.message?.text == "renamed branch fix to health-fix")
        try Self.press("v d", on: debugger)
        lines = debugger.screen(width: 100, height: 24).lines
        #expect(lines.contains { $0.contains("delete health-fix and its own checkpoints? y deletes") })
        try Self.press("n", on: debugger)
        let kept = try CheckpointStore.open(path).branches.count
        #expect(debugger.message?.text == "kept health-fix" && kept == 2)
        try Self.press("d y", on: debugger)
        let left = try CheckpointStore.open(path).branches.map(\.name)
        #expect(left == ["main"] && debugger.branch == "main")
        try Self.press("ESC", on: debugger)
        #expect(debugger.mode == .normal)
    }
}
