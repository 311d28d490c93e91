import Foundation
import PackCodec
@testable import ScopeUI
import Testing
import TickscopeRecorder
import Timeline

// The debugging loop across branches: following a recording, pending edits,
// forks and their deletion, queries, staying on the branch shown.

extension FeatureTests {
    @Test("following a store while a writer commits: the new checkpoint shows, and the view moves to it from the end")
    func follow() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "G")
        debugger.isFollowing = true
        do {
            let writer = try CheckpointStore.openForWriting(path)
            let world = try writer.snapshot(try #require(writer.lastCheckpoint(onBranch: "main")).id)
            try writer.commit(world, info: CheckpointInfo(name: "live"))
        }
        debugger.advance(to: 1)
        #expect(debugger.cursor.checkpoints.count == 202 && debugger.cursor.position == 201)
        #expect(debugger.screen(width: 120, height: 24).lines[0].contains("[202/202]  \"live\"  following"))
    }
}

extension FeatureTests {
    @Test("following a recording made by the recorder library: each flushed world shows, and the view at the end moves on with them")
    func followRecorder() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "G")
        debugger.isFollowing = true
        let world = try CheckpointStore.open(path).snapshot(try #require(CheckpointStore.open(path).lastCheckpoint(onBranch: "main")).id)
        let recorder = try Recorder(store: path)
        for tick in 1...3 as ClosedRange<UInt64> {
            var next = world
            next.resources.tick += tick
            try recorder.record(next, info: CheckpointInfo(name: "sdk \(tick)"))
            try recorder.flush()
            debugger.advance(to: Double(tick))
            #expect(debugger.cursor.checkpoints.count == 201 + Int(tick) && debugger.cursor.position == 200 + Int(tick))
            #expect(debugger.screen(width: 120, height: 24).lines[0].contains("\"sdk \(tick)\"  following"))
        }
        try recorder.close()
    }
}

extension FeatureTests {
    @Test("pending edits show in the table as *VALUE until the fork; e starts from the pending value; u drops the selected cell's, or the last")
    func pendingEdits() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Two edits in the Health column of the first two rows.
        let debugger = try Self.debugger(CheckpointStore.open(path),
                                         keys: "a RIGHT RIGHT RIGHT e BACKSPACE BACKSPACE BACKSPACE BACKSPACE 9 9 ENTER j e BACKSPACE 7 ENTER")
        #expect(debugger.pendingEdits.count == 2)
        var screen = debugger.screen(width: 100, height: 16)
        #expect(screen.lines.contains { $0.contains("*99") } && screen.lines.contains { $0.contains("*40.7") }, "\(screen.lines.joined(separator: "\n"))")
        // e on an edited cell starts from what was typed, not the stored value.
        try Self.press("k e", on: debugger)
        #expect(debugger.mode == .prompt(.editValue, "99"))
        try Self.press("ESC", on: debugger)
        // In a prompt, Ctrl-W deletes the last word and Ctrl-U the whole line.
        try Self.press("e CTRL-U 1 2 SPACE 3 4 CTRL-W", on: debugger)
        #expect(debugger.mode == .prompt(.editValue, "12 "))
        try Self.press("CTRL-U", on: debugger)
        #expect(debugger.mode == .prompt(.editValue, ""))
        try Self.press("ESC", on: debugger)
        // u on it drops that edit; u again (on a cell without one) drops the last made.
        try Self.press("u", on: debugger)
        #expect(debugger.pendingEdits.map(\.text).count == 1 && debugger.pendingEdits[0].text.hasSuffix("=40.7"))
        screen = debugger.screen(width: 100, height: 16)
        #expect(!screen.lines.contains { $0.contains("*99") } && screen.lines.contains { $0.contains("*40.7") })
        try Self.press("u", on: debugger)
        #expect(debugger.pendingEdits.isEmpty)
        try Self.press("u", on: debugger)
        #expect(debugger.message?.text == "no edits to drop")
    }

    @Test("an edit of a field the recording marks derived is kept, with a warning that a resumed fork recomputes it; a state field's is not warned")
    func derivedFieldEdit() throws {
        let orbits = URL(fileURLWithPath: ScreenTests.sample).deletingLastPathComponent().appendingPathComponent("orbits").path
        let debugger = try Self.debugger(CheckpointStore.open(orbits), keys: "j RIGHT RIGHT RIGHT RIGHT RIGHT e CTRL-U - 5 0 ENTER")
        #expect(debugger.pendingEdits.count == 1)
        #expect(debugger.message?.isError == true)
        #expect(debugger.message?.text.hasPrefix("Orbit.energy is derived: the simulation recomputes it") == true)
        try Self.press("LEFT LEFT e CTRL-U 1 ENTER", on: debugger)
        #expect(debugger.pendingEdits.count == 2 && debugger.message?.isError == false)
    }
}

extension FeatureTests {
    @Test(":rename-branch renames the branch shown and stays at its checkpoint; a taken name is an error line")
    func renameBranch() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "a e BACKSPACE BACKSPACE 5 ENTER f ENTER", at: "99")
        let forked = debugger.cursor.current?.id
        try Self.press(": TEXT:rename-branch SPACE TEXT:health-fix ENTER", on: debugger)
        #expect(debugger.branch == "health-fix" && debugger.cursor.current?.id == forked)
        #expect(debugger.message?.text == "renamed branch fork-99 to health-fix")
        #expect(try CheckpointStore.open(path).branches.map(\.name) == ["main", "health-fix"])
        try Self.press(": TEXT:rename-branch SPACE TEXT:main ENTER", on: debugger)
        #expect(debugger.message?.isError == true && debugger.branch == "health-fix")
    }

    @Test(":delete-branch undoes a fork: the branch and its checkpoints go, and the view returns to main at the same tick")
    func deleteBranch() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "a e BACKSPACE BACKSPACE 5 ENTER f ENTER", at: "99")
        #expect(debugger.branch == "fork-99")
        try Self.press(": d e l e t e - b r a n c h SPACE f o r k - 9 9 ENTER", on: debugger)
        #expect(debugger.message?.text == "deleted branch fork-99 and its 1 checkpoint", "\(String(describing: debugger.message))")
        #expect(debugger.branch == "main" && debugger.cursor.current?.tick == 99)
        #expect(try CheckpointStore.open(path).branches.map(\.name) == ["main"])
        try Self.press(": d e l e t e - b r a n c h SPACE n o p e ENTER", on: debugger)
        #expect(debugger.message?.isError == true)
        // main is now the only branch: deleting it would discard the recording, and is refused.
        let recorded = try CheckpointStore.open(path).checkpoints.count
        try Self.press(": d e l e t e - b r a n c h SPACE m a i n ENTER", on: debugger)
        #expect(debugger.message?.isError == true && debugger.message?.text.contains("the store's only branch") == true, "\(String(describing: debugger.message))")
        let kept = try CheckpointStore.open(path).checkpoints.count
        #expect(recorded > 0 && kept == recorded)
    }
}

extension FeatureTests {
    @Test(":query opens a results pane and goes to the first row, } and { walk them; an aggregate's series pins as a watch; a mistake is an error line")
    func queryResults() throws {
        let debugger = try Self.debugger(keys: ": TEXT:query SPACE TEXT:first SPACE TEXT:tick SPACE TEXT:where SPACE TEXT:Health.value SPACE < SPACE 0 ENTER")
        #expect(debugger.cursor.current?.tick == 100 && debugger.selectedCell?.entity == EntityID(265), "\(String(describing: debugger.message))")
        #expect(debugger.message?.text.hasPrefix("result 1 of 1: c101 tick 100 #265 -140.0") == true)
        try Self.press(": TEXT:query SPACE TEXT:Health.value SPACE < SPACE 0 SPACE TEXT:during SPACE TEXT:100..102 ENTER", on: debugger)
        #expect(debugger.queryResults.map(\.tick) == [100, 101, 102])
        try Self.press("} }", on: debugger)
        #expect(debugger.cursor.current?.tick == 102 && debugger.selectedCell?.entity == debugger.queryResults[2].entity)
        try Self.press("}", on: debugger)
        #expect(debugger.message?.text == "last of 3 query results")
        try Self.press("{", on: debugger)
        #expect(debugger.cursor.current?.tick == 101)
        try Self.press(": TEXT:query SPACE TEXT:count(Health.value<0) SPACE TEXT:during SPACE TEXT:99..101 ENTER", on: debugger)
        #expect(debugger.queryResults.map { $0.values.first?.description } == ["0", "1", "1"], "\(String(describing: debugger.message))")
        #expect(debugger.message?.text.hasPrefix("count(Health.value < 0): one value for each of 3 checkpoints") == true)
        // The results pane: its rows under the table, w pins the aggregate as a watch, Enter goes to a row's checkpoint, Esc closes it.
        var lines = debugger.screen(width: 100, height: 24).lines
        #expect(lines.contains { $0.hasPrefix(" query count(Health.value<0) during 99..101: 3 rows  Enter go  n/N walk  w pin  Esc close") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.hasPrefix(" c101   tick 100") && $0.contains("count(Health.value < 0) 1") })
        try Self.press("w", on: debugger)
        #expect(debugger.watches.count == 1 && debugger.watches[0].subject == "count(Health.value < 0)")
        debugger.finishPendingWork()
        let timeline = debugger.cursor.checkpoints
        #expect(debugger.watches[0].values.enumerated().filter { $0.element != nil }.map { timeline[$0.offset].tick } == [99, 100, 101])
        try Self.press("j ENTER", on: debugger)
        #expect(debugger.cursor.current?.tick == 100 && debugger.focus == .results)
        try Self.press("n", on: debugger)
        #expect(debugger.cursor.current?.tick == 101)
        try Self.press("ESC", on: debugger)
        lines = debugger.screen(width: 100, height: 24).lines
        #expect(!debugger.showsResults && debugger.focus == .table && !lines.contains { $0.hasPrefix(" query ") })
        try Self.press(": TEXT:query SPACE TEXT:Health.valu SPACE < SPACE 0 ENTER", on: debugger)
        #expect(debugger.message?.isError == true && debugger.message?.text.contains("did you mean Health.value?") == true)
    }
}

extension FeatureTests {
    @Test("the README's debugger hunt: F finds tick 100, then a fork at tick 99 with Health 1000 from the UI")
    func readmeHunt() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER F")
        #expect(debugger.cursor.current?.tick == 100 && debugger.selectedCell?.entity == EntityID(265))
        try Self.press(": c l e a r - f i l t e r ENTER h # 2 6 5 ENTER RIGHT RIGHT RIGHT e BACKSPACE BACKSPACE BACKSPACE BACKSPACE 1 0 0 0 ENTER f ENTER", on: debugger)
        #expect(debugger.branch == "fork-99", "\(String(describing: debugger.message))")
        #expect(debugger.table!.columns[debugger.selectedColumn].value(at: debugger.selectedCell!.row) == .float32(1000))
    }
}

extension FeatureTests {
    @Test(":TICK stays on the branch shown: on a fork it names the fork's checkpoint, and a shared one keeps the fork's timeline")
    func tickOnBranch() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "a e BACKSPACE BACKSPACE 5 ENTER f ENTER", at: "99")
        #expect(debugger.branch == "fork-99")
        // The fork runs on a step, as a resumed simulation would.
        let writer = try CheckpointStore.openForWriting(path, create: false)
        let forked = try #require(writer.lastCheckpoint(onBranch: "fork-99"))
        var world = try writer.snapshot(forked.id)
        world.resources.tick = 100
        let next = try writer.commit(world, branch: "fork-99")
        TimeController.follow(on: debugger)
        try Self.press(": 1 0 0 ENTER", on: debugger)
        #expect(debugger.branch == "fork-99" && debugger.cursor.current?.id == next.id, "\(String(describing: debugger.message))")
        try Self.press(": 5 0 ENTER", on: debugger)
        #expect(debugger.branch == "fork-99" && debugger.cursor.current?.tick == 50)
        try Self.press(": m a i n @ 1 0 0 ENTER", on: debugger)
        #expect(debugger.branch == "main" && debugger.cursor.current?.id.description == "c101")
    }
}

extension FeatureTests {
    @Test("the one event loop with a script: each key's search finishes before the next key, no time passes, copies reach the clipboard, q ends it")
    func scriptThroughEventLoop() throws {
        let debugger = try Self.debugger()
        let keys = try Key.parseScript("a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER F y SPACE q l").get()
        var script = ScriptBackend(keys: keys, width: 120, height: 30)
        try EventLoop.run(debugger, on: &script)
        // F ran to its end before y: the copy is of tick 100's entity 265.
        #expect(debugger.cursor.current?.tick == 100 && debugger.selectedCell?.entity == EntityID(265))
        let cell = try #require(debugger.selectedCell)
        #expect(script.clipboard == [debugger.table!.columns[debugger.selectedColumn].value(at: cell.row).description])
        // SPACE started playing, but a script's time stands still: still tick 100. q ended the loop before l.
        #expect(debugger.isPlaying && debugger.isFinished && script.keys == [.character("l")])
        // The last frame is the outcome of the last key.
        #expect(script.screen == debugger.screen(width: 120, height: 30))
    }
}
