import Foundation
import PackCodec
@testable import ScopeUI
import Testing
import Timeline

/// What a user does beyond reading: sort, jump, inspect, search the
/// timeline, watch, mark, fork; each checked against the store's own data.
@Suite struct FeatureTests {
    static func debugger(_ store: CheckpointStore? = nil, keys: String = "", at: String? = nil) throws -> Debugger {
        let debugger = try Debugger(store: store ?? CheckpointStore.open(ScreenTests.sample), title: "ecosystem")
        if let at { try debugger.seek(to: at) }
        try press(keys, on: debugger)
        return debugger
    }

    static func press(_ keys: String, on debugger: Debugger) throws {
        for key in try Key.parseScript(keys).get() {
            debugger.handle(key)
            debugger.finishPendingWork()
        }
    }

    /// A private copy of the sample store, for marks and forks.
    static func copyOfSample() throws -> String {
        let directory = NSTemporaryDirectory() + "tickscope-ui-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: ScreenTests.sample, toPath: directory)
        try? FileManager.default.removeItem(atPath: directory + "/LOCK")
        return directory
    }

    /// The value of `entity`'s field at every checkpoint, read the slow way.
    static func values(of entity: EntityID, _ key: ColumnKey, in store: CheckpointStore) throws -> [FieldValue?] {
        try store.timeline(of: "main").map { checkpoint in
            let snapshot = try store.snapshot(checkpoint.id)
            for archetype in snapshot.archetypes {
                guard let row = archetype.entities.firstIndex(of: entity),
                    let column = archetype.columnIndex(of: key) else { continue }
                return archetype.columns[column].value(at: row)
            }
            return nil
        }
    }

    @Test("s sorts by the selected column ascending, then descending, then not at all")
    func sort() throws {
        let debugger = try Self.debugger(keys: "a s", at: "100")
        let table = try #require(debugger.table)
        let shown = (0..<debugger.shownCount).map { table.columns[0].value(at: debugger.row(at: $0)).number! }
        #expect(shown == shown.sorted() && shown.count == table.ids.count)
        try Self.press("s", on: debugger)
        let descending = (0..<debugger.shownCount).map { table.columns[0].value(at: debugger.row(at: $0)).number! }
        #expect(descending == shown.sorted(by: >))
        #expect(debugger.screen(width: 100, height: 20).lines[4].contains("▼Position.x"))
        try Self.press("s", on: debugger)
        #expect(debugger.sort == nil && debugger.tableState.shownRows == nil)
        // The selected entity stays selected through a sort.
        try Self.press("j j j", on: debugger)
        let chosen = try #require(debugger.selectedCell?.entity)
        try Self.press("s", on: debugger)
        #expect(debugger.selectedCell?.entity == chosen && debugger.selectedRow != 3)
    }

    @Test("sorting orders floats with -0, infinities and NaN, ints and strings; ties keep row order")
    func sortOrder() {
        let floats = Column([Float(2), -.infinity, .nan, -0.0, 0.0, .infinity, -3, 2])
        #expect(floats.sortedRows(descending: false) == [1, 6, 3, 4, 0, 7, 5, 2])
        #expect(floats.sortedRows(descending: true) == [2, 5, 0, 7, 4, 3, 6, 1])
        #expect(Column([Int64.min, 5, -1, Int64.max]).sortedRows(descending: false) == [0, 2, 1, 3])
        #expect(Column([Int8(-128), 127, 0]).sortedRows(descending: false) == [0, 2, 1])
        #expect(Column(strings: ["b", "a", "ab", "a"]).sortedRows(descending: false) == [1, 3, 2, 0])
    }

    @Test("# goes to an entity in whichever archetype holds it; an unknown id is an error line")
    func gotoEntity() throws {
        let debugger = try Self.debugger(keys: "# 2 6 5 ENTER", at: "100")
        #expect(debugger.selectedCell?.entity == EntityID(265))
        #expect(debugger.archetypeIndex == 1)
        try Self.press("# 9 9 9 9 9 ENTER", on: debugger)
        #expect(debugger.message?.isError == true && debugger.message?.text == "no entity 99999 at c101")
    }

    @Test("n and N walk the changed rows forwards and backwards, wrapping")
    func nextAndPrevious() throws {
        let debugger = try Self.debugger(keys: "a", at: "100")
        let changed = try #require(debugger.table?.changes).anyRow.rows
        try Self.press("n", on: debugger)
        #expect(debugger.row(at: debugger.selectedRow) == changed.first { $0 > 0 })
        try Self.press("N N", on: debugger)
        #expect(debugger.row(at: debugger.selectedRow) == changed.last)
    }

    @Test("the inspector lists the entity's fields and the field's history with its real min and max")
    func inspector() throws {
        let debugger = try Self.debugger(keys: "# 2 6 5 ENTER RIGHT RIGHT RIGHT i", at: "100")
        let screen = debugger.screen(width: 120, height: 30).text
        #expect(screen.contains("entity 265"))
        #expect(screen.contains("Health.value") && screen.contains("-140.0"))
        #expect(screen.contains(" #265 Health.value over time "))
        let history = try Self.values(of: EntityID(265), ColumnKey(component: "Health", field: "value"), in: debugger.store)
        let numbers = history.compactMap { $0?.number }
        #expect(debugger.history?.values.compactMap { $0 } == numbers)
        #expect(screen.contains("min \(numbers.min()!)") && screen.contains("max \(numbers.max()!)"))
    }

    @Test("] and [ find the checkpoints where the selected cell changes, as the data says")
    func cellChanges() throws {
        let debugger = try Self.debugger(keys: "# 2 6 5 ENTER RIGHT RIGHT RIGHT", at: "50")
        let key = ColumnKey(component: "Health", field: "value")
        let values = try Self.values(of: EntityID(265), key, in: debugger.store)
        let start = debugger.cursor.position
        let next = try #require((start + 1..<values.count).first { values[$0] != values[$0 - 1] })
        try Self.press("]", on: debugger)
        #expect(debugger.cursor.position == next)
        #expect(debugger.selectedCell?.entity == EntityID(265) && debugger.selectedCell?.key == key)
        #expect(debugger.message?.text.hasPrefix("\(debugger.cursor.current!.id) tick \(debugger.cursor.current!.tick): next change of #265 Health.value (") == true)
        try Self.press("[", on: debugger)
        let previous = (1..<next).last { values[$0] != values[$0 - 1] }
        #expect(debugger.cursor.position == (previous ?? next), "\(String(describing: debugger.message))")
    }

    @Test("F finds the first checkpoint where the filter matches: the ecosystem's bug at tick 100")
    func firstMatch() throws {
        let debugger = try Self.debugger(keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER F")
        #expect(debugger.cursor.current?.tick == 100)
        #expect(debugger.shownCount == 1 && debugger.selectedCell?.entity == EntityID(265))
        #expect(debugger.message?.text.contains("skipped unread") == true, "\(String(describing: debugger.message))")
        // Health never falls below 0 before tick 100: block statistics rule those 100 checkpoints out unread.
        let again = try Self.debugger(keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER")
        let before = again.store.readStatistics
        try Self.press("F", on: again)
        #expect(again.cursor.current?.tick == 100)
        #expect(again.message?.text.contains("(100 skipped unread)") == true, "\(String(describing: again.message)) \(again.store.readStatistics.since(before))")
        #expect(again.store.readStatistics.since(before).blocksDecoded <= 20, "tick 100 alone (its Health chain and its view), not 100 checkpoints: \(again.store.readStatistics.since(before))")
    }

    @Test("the selected entity stays selected: Esc clears the filter, and stepping keeps it, wherever its row goes")
    func selectionFollowsTheEntity() throws {
        let debugger = try Self.debugger(keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER F ESC")
        #expect(debugger.filterText == nil && debugger.shownCount == debugger.table?.ids.count)
        #expect(debugger.selectedCell?.entity == EntityID(265))
        try Self.press("h", on: debugger)
        #expect(debugger.cursor.current?.tick == 99)
        #expect(debugger.selectedCell?.entity == EntityID(265))
        let rowAt99 = debugger.selectedRow
        try Self.press("g", on: debugger)
        let ids = try #require(debugger.table?.ids)
        #expect(debugger.selectedCell?.entity == EntityID(265) || !ids.contains(EntityID(265)))
        #expect(ids.firstIndex(of: EntityID(265)).map { $0 == debugger.selectedRow } ?? (debugger.selectedRow == rowAt99))
        // An entity that is gone keeps the row position instead.
        try Self.press("G", on: debugger)
        #expect(debugger.cursor.current?.tick == 200)
    }

    @Test("Esc cancels a search that is still running")
    func cancelSearch() throws {
        let debugger = try Self.debugger(keys: "a / H e a l t h . v a l u e SPACE < SPACE 0 ENTER")
        debugger.handle(.character("F"))
        #expect(debugger.hasPendingWork)
        #expect(debugger.screen(width: 100, height: 20).lines[19].contains("looking for the first match of Health.value < 0: 0 of 201"))
        debugger.handle(.escape)
        #expect(!debugger.hasPendingWork && debugger.cursor.position == 0)
    }

    @Test("a pinned cell and a pinned aggregate follow the timeline with the data's values")
    func watches() throws {
        let debugger = try Self.debugger(keys: "a # 2 6 5 ENTER RIGHT RIGHT RIGHT w / H e a l t h . v a l u e SPACE < SPACE 1 0 ENTER : w a t c h SPACE c o u n t ENTER", at: "100")
        #expect(debugger.watches.count == 2)
        let cell = try Self.values(of: EntityID(265), ColumnKey(component: "Health", field: "value"), in: debugger.store)
        #expect(debugger.watches[0].values == cell.map { $0?.number })
        // The count of Health.value < 10 in that archetype, checkpoint by checkpoint.
        let components = debugger.store.checkpoint(try #require(debugger.table).checkpoint)!.archetypes[debugger.archetypeIndex].components.map(\.name)
        let counts: [Double?] = try debugger.store.timeline(of: "main").map { checkpoint in
            guard let archetype = try debugger.store.snapshot(checkpoint.id).archetypes.first(where: { $0.components.map(\.name) == components }) else { return nil }
            let column = archetype.columns[archetype.columnIndex(of: ColumnKey(component: "Health", field: "value"))!]
            return Double((0..<archetype.entities.count).filter { column.value(at: $0).number! < 10 }.count)
        }
        #expect(debugger.watches[1].values == counts)
        let screen = debugger.screen(width: 100, height: 30).lines
        #expect(screen[3].hasPrefix("265 value") && screen[4].hasPrefix("count val"))
        // Each watch names its subject in full beside its value here (tick 100: -140, and 2 rows under 10).
        #expect(screen[3].hasSuffix(" #265 Health.value -140.0 ") && screen[4].hasSuffix(" Health.value count \(Int(counts[100]!)) "), "\(screen[3])\n\(screen[4])")
    }

    @Test("marks are saved in the store's MARKS file, jump back, and show on the timeline")
    func marks() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "m b b e f o r e SPACE t h e SPACE b u g ENTER g", at: "100")
        #expect(try String(contentsOfFile: path + "/MARKS", encoding: .utf8) == "b c101 before the bug\n")
        try Self.press("' b", on: debugger)
        #expect(debugger.cursor.current?.id.description == "c101")
        #expect(debugger.screen(width: 80, height: 24).lines[1].contains("●"))
        let reopened = try Self.debugger(CheckpointStore.open(path))
        #expect(reopened.screen(width: 80, height: 24).lines[1].contains("b"), "the letter on the bar")
        try Self.press("' z", on: reopened)
        #expect(reopened.message?.text == "no mark z")
    }

    @Test("fork from the UI with an edited cell: a new branch whose first checkpoint has the value")
    func fork() throws {
        let path = try Self.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try Self.debugger(CheckpointStore.open(path), keys: "# 2 6 5 ENTER RIGHT RIGHT RIGHT e", at: "100")
        #expect(debugger.mode == .prompt(.editValue, "-140.0"))
        try Self.press(String(repeating: "BACKSPACE ", count: 6) + "5 0 ENTER f", on: debugger)
        #expect(debugger.mode == .prompt(.forkName, "fork-100"))
        try Self.press("ENTER", on: debugger)
        #expect(debugger.branch == "fork-100", "\(String(describing: debugger.message))")
        let store = try CheckpointStore.open(path)
        let first = try #require(store.lastCheckpoint(onBranch: "fork-100"))
        #expect(first.parent?.description == "c101")
        #expect(try Self.values(of: EntityID(265), ColumnKey(component: "Health", field: "value"), in: store).count == 201)
        let forked = try store.snapshot(first.id)
        let archetype = try #require(forked.archetypes.first { $0.entities.contains(EntityID(265)) })
        let column = archetype.columnIndex(of: ColumnKey(component: "Health", field: "value"))!
        #expect(archetype.columns[column].value(at: archetype.entities.firstIndex(of: EntityID(265))!) == .float32(50))
        // The new branch diverges from main exactly there.
        try Self.press("B", on: debugger)
        #expect(debugger.message?.text.hasPrefix("fork-100 and main diverge at \(first.id) (tick 100)") == true)
        #expect(debugger.diffBase?.description == "c101")
        // A bad value and a taken name are error lines.
        try Self.press("e x ENTER", on: debugger)
        #expect(debugger.message?.isError == true)
        try Self.press("f " + String(repeating: "BACKSPACE ", count: 10) + "m a i n ENTER", on: debugger)
        #expect(debugger.message?.text == "fork: a branch named main exists already")
    }

    @Test("in an encrypted store, marks and forks are written encrypted and read back with the key")
    func encryptedStore() throws {
        let path = NSTemporaryDirectory() + "tickscope-ui-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try EncryptionKey(bytes: Array(repeating: 3, count: 32))
        do {
            let source = try CheckpointStore.open(ScreenTests.sample)
            let writer = try CheckpointStore.openForWriting(path, key: key)
            for checkpoint in try source.timeline(of: "main").prefix(5) { try writer.commit(try source.snapshot(checkpoint.id), info: checkpoint.info) }
        }
        let debugger = try Self.debugger(CheckpointStore.open(path, key: key), keys: "m c s e c r e t SPACE n o t e ENTER f ENTER", at: "2")
        #expect(debugger.branch == "fork-2", "\(String(describing: debugger.message))")
        #expect(debugger.screen(width: 160, height: 24).lines[0].contains("  encrypted"))
        let marks = Array(try Data(contentsOf: URL(fileURLWithPath: path + "/MARKS")))
        #expect(Array(marks.prefix(8)) == Array("TSCPSIDE".utf8) && !String(decoding: marks, as: UTF8.self).contains("secret"))
        let reopened = try CheckpointStore.open(path, key: key)
        #expect(MarkBook(store: reopened)["c"] == MarkBook.Mark(letter: "c", checkpoint: CheckpointID(rawValue: 3), note: "secret note"))
        #expect(reopened.lastCheckpoint(onBranch: "fork-2") == nil && reopened.branches.map(\.name) == ["main", "fork-2"])
    }

    @Test("the command line runs actions by name and completes with Tab")
    func commandLine() throws {
        let debugger = try Self.debugger(keys: ": s t e p - f TAB")
        #expect(debugger.mode == .prompt(.command, "step-forward"))
        try Self.press("ENTER", on: debugger)
        #expect(debugger.cursor.position == 1)
        try Self.press(": s t e TAB", on: debugger)
        #expect(debugger.mode == .prompt(.command, "step-"))
        #expect(debugger.message?.text == "step-back  step-forward")
        try Self.press("ESC : n o p e ENTER", on: debugger)
        #expect(debugger.message?.text == "no command nope; Tab completes, ? lists them")
        try Self.press(": c 5 0 ENTER", on: debugger)
        #expect(debugger.cursor.current?.tick == 49)
        // :sort and :filter alone clear them, as the help says.
        try Self.press("s / TEXT:Age.ticks>5 ENTER", on: debugger)
        #expect(debugger.sort != nil && debugger.filterText != nil)
        try Self.press(": TEXT:sort ENTER : TEXT:filter ENTER", on: debugger)
        #expect(debugger.sort == nil && debugger.filterText == nil && debugger.mode == .normal)
    }

    @Test("clicking the timeline seeks there; clicking a row selects it; play steps when due")
    func mouseAndPlay() throws {
        let debugger = try Self.debugger()
        _ = debugger.screen(width: 80, height: 24)
        try Self.press("CLICK:79,1", on: debugger)
        #expect(debugger.cursor.position == 200)
        try Self.press("CLICK:10,1", on: debugger)
        #expect(debugger.cursor.position == 0)
        try Self.press("HOME", on: debugger)
        _ = debugger.screen(width: 80, height: 24)
        try Self.press("CLICK:30,8", on: debugger)
        #expect(debugger.selectedRow == 3)
        try Self.press("SPACE", on: debugger)
        debugger.advance(to: 100)
        debugger.advance(to: 100.1)
        debugger.advance(to: 100.2)
        #expect(debugger.cursor.position == 2, "5 a second: due at 100 and 100.2")
        #expect(debugger.screen(width: 120, height: 24).lines[0].contains("▶ 5/s"))
    }
}

extension FeatureTests {
    /// Advances the debugger's clock until its resume command has ended (at most 10 s).
    static func waitForResume(_ debugger: Debugger) {
        for step in 0..<1000 where debugger.resumeRun != nil {
            debugger.advance(to: Double(step) / 100)
            usleep(10_000)
        }
    }

    @Test("R shows the command before it runs; its output and failure reach the status line; Esc stops it")
    func resumeCommand() throws {
        let debugger = try Self.debugger()
        try Self.press("R", on: debugger)
        #expect(debugger.message?.text == "this recording names no resume command: tickscope config STORE resume 'COMMAND {store}@{branch}'")
        debugger.resumeCommand = { branch in "echo carrying \(branch) on; echo 'no such world' >&2; exit 3" }
        try Self.press("R", on: debugger)
        #expect(debugger.mode == .prompt(.resume, "echo carrying main on; echo 'no such world' >&2; exit 3"))
        try Self.press("ENTER", on: debugger)
        #expect(debugger.screen(width: 100, height: 30).lines[29].hasPrefix(" resuming main"))
        Self.waitForResume(debugger)
        #expect(debugger.message?.text == "resume failed (exit 3): no such world" && debugger.message?.isError == true)
        // Edited before it runs; Esc stops a long one.
        try Self.press("R " + String(repeating: "BACKSPACE ", count: 80) + "s l e e p SPACE 3 0 ENTER", on: debugger)
        #expect(debugger.resumeRun?.command.commandLine == "sleep 30")
        try Self.press("R", on: debugger)
        #expect(debugger.message?.text == "already resuming main (Esc stops)")
        try Self.press("ESC", on: debugger)
        Self.waitForResume(debugger)
        #expect(debugger.message?.text == "resume stopped" && debugger.resumeRun == nil)
    }
}

extension Archetype {
    func columnIndex(of key: ColumnKey) -> Int? {
        var index = 0
        for component in components {
            if component.name == key.component { return component.fieldIndex(named: key.field).map { index + $0 } }
            index += component.fields.count
        }
        return nil
    }
}

extension FeatureTests {
    @Test("a resume that ends while a key's answer is shown leaves the answer, and its outcome shows at the next key that says nothing")
    func resumeOutcomeDoesNotHideAnswers() throws {
        let debugger = try Self.debugger()
        debugger.resumeCommand = { _ in "sleep 0.3; echo done" }
        try Self.press("R ENTER", on: debugger)
        #expect(debugger.resumeRun != nil)
        try Self.press(": s t a t s ENTER", on: debugger)
        let answer = try #require(debugger.message?.text)
        #expect(answer.contains("decoded"))
        Self.waitForResume(debugger)
        #expect(debugger.resumeRun == nil && debugger.message?.text == answer, "the answer stays on screen")
        try Self.press("j", on: debugger)
        #expect(debugger.message?.text == "resumed main: done")
        try Self.press("j", on: debugger)
        #expect(debugger.message == nil, "shown once")
    }
}
