import Foundation
import PackCodec
@testable import ScopeUI
import Simulations
import Testing
@testable import Timeline

/// Theme, keys and config files, and the per-archetype diff against the
/// store's own diff.
@Suite struct ConfigTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes").path

    static func theme(_ name: String, colors: Int = 256) throws -> Theme {
        let file = themes + "/\(name).theme"
        return try ThemeFile.parse(String(contentsOfFile: file, encoding: .utf8), name: name, file: file, colors: colors)
    }

    @Test("the four shipped themes parse; dark and mono on 8 colours are the built-in themes", arguments: ["dark", "light", "high-contrast", "mono"])
    func shippedThemes(name: String) throws {
        let full = try Self.theme(name), eight = try Self.theme(name, colors: 8)
        #expect(full.name == name)
        for style in [eight.base, eight.title, eight.selected, eight.changed, eight.error] {
            for color in [style.foreground, style.background] { if case .indexed(let n) = color { #expect(n < 8) } }
        }
        if name == "dark" { #expect(eight == Theme.dark) }
        if name == "mono" { #expect(full == Theme.monochrome) }
        // The light theme paints its own background everywhere, so a dark terminal does not show through.
        if name == "light" {
            for theme in [full, eight] {
                for style in [theme.base, theme.title, theme.border, theme.header, theme.selected, theme.changed, theme.spawned, theme.dim, theme.status, theme.error] {
                    #expect(style.background != .default, "\(style)")
                }
            }
        }
        // Every theme tells changed and selected cells apart from plain text.
        #expect(full.changed != full.base && full.selected != full.base && full.changed != full.selected)
    }

    @Test("theme mistakes name the file and line", arguments: [
        ("base = grey", "t.theme:1: unknown colour \"grey\""),
        ("base = white\nfoo = red", "t.theme:2: unknown part \"foo\""),
        ("base = white on", "t.theme:1: a style is FOREGROUND [on BACKGROUND]"),
        ("box = round", "t.theme:1: box is unicode or ascii"),
        ("base = white", "t.theme:0: no title = line"),
        ("base = 300", "t.theme:1: unknown colour \"300\""),
        // Found by fuzz-config: an empty style crashed the parser.
        ("base =", "t.theme:1: base has no style"),
        ("base = |", "t.theme:1: base has no style"),
    ])
    func themeErrors(text: String, expected: String) {
        #expect(throws: ConfigError.self) { try ThemeFile.parse(text, name: "t", file: "t.theme") }
        do { _ = try ThemeFile.parse(text, name: "t", file: "t.theme") } catch { #expect(error.description.hasPrefix(expected), "\(error)") }
    }

    @Test("a keys file rebinds and unbinds keys; mistakes name the line")
    func keysFile() throws {
        let map = try KeysFile.apply("# mine\nx quit\nunbind q\nSPACE step-forward\n", file: "keys", to: .standard)
        #expect(map.action(for: .character("x")) == .quit)
        #expect(map.action(for: .character("q")) == nil)
        #expect(map.action(for: .character(" ")) == .stepForward)
        #expect(map.action(for: .character("l")) == .stepForward)
        #expect(throws: ConfigError(file: "keys", line: 2, reason: "unknown action \"jump\" (the names :help lists, like step-forward)")) {
            try KeysFile.apply("x quit\nx jump", file: "keys", to: .standard)
        }
        #expect(throws: ConfigError(file: "keys", line: 1, reason: "unknown key \"CTRLX\"")) { try KeysFile.apply("CTRLX quit", file: "keys", to: .standard) }
        // The help overlay shows the rebound key.
        let debugger = try Debugger(store: CheckpointStore.open(ScreenTests.sample), title: "e", keyMap: map)
        #expect(HelpOverlay.lines(for: debugger.keyMap).contains { $0.keys == "x" && $0.text.hasSuffix(" quit") })
    }

    @Test("the config file sets theme, ascii and speed, and refuses what it does not know")
    func configFile() throws {
        let config = try ConfigFile.parse("theme = light\nascii = true\n# comment\nspeed = 20\n", file: "config")
        #expect(config.theme == "light" && config.ascii == true && config.speed == 20)
        #expect(throws: ConfigError(file: "config", line: 1, reason: "speed is checkpoints a second, 0 to 1000")) { try ConfigFile.parse("speed = fast", file: "config") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("colour = red", file: "config") }
    }

    @Test("per-archetype changes agree with the store's diff for every step and archetype of the sample")
    func changesMatchStoreDiff() throws {
        let store = try CheckpointStore.open(ScreenTests.sample)
        let timeline = try store.timeline(of: "main")
        for (previous, current) in zip(timeline, timeline.dropFirst()).prefix(60) {
            let diff = try store.diff(previous.id, current.id)
            for (index, archetype) in current.archetypes.enumerated() {
                let ids = try store.entities(archetype.entities, label: "ids")
                let columns = try store.columns(archetype.columns, label: "columns")
                let changes = try ArchetypeChanges.compute(store: store, base: previous, current: current, archetype: index, ids: ids, columns: columns)
                let keys = archetype.components.flatMap { c in c.fields.map { ColumnKey(component: c.name, field: $0.name) } }
                let here = Set(ids)
                let names = archetype.components.map(\.name)
                #expect(Set(changes.spawned.rows.map { ids[$0] }) == Set(diff.spawned).intersection(here))
                #expect(Set(changes.movedIn.rows.map { ids[$0] }) == Set(diff.moved.filter { $0.to == names }.map(\.entity)))
                var cells = Set<String>()
                for (column, rows) in changes.columns.enumerated() { for row in rows?.rows ?? [] { cells.insert("\(ids[row]) \(keys[column])") } }
                let moved = Set(diff.moved.map(\.entity))
                let expected = Set(diff.changed.filter { here.contains($0.entity) && !moved.contains($0.entity) }.map { "\($0.entity) \($0.component).\($0.field)" })
                #expect(cells == expected, "\(current.id) archetype \(index)")
            }
        }
    }

    @Test("row sets: insert, count, next and previous across words")
    func rowSets() {
        var set = RowSet(capacity: 200)
        for row in [0, 63, 64, 130, 199] { set.insert(row) }
        #expect(set.count == 5 && set.rows == [0, 63, 64, 130, 199])
        #expect(set.next(after: -1) == 0 && set.next(after: 0) == 63 && set.next(after: 64) == 130 && set.next(after: 199) == nil)
        #expect(set.previous(before: 200) == 199 && set.previous(before: 130) == 64 && set.previous(before: 0) == nil)
        #expect(RowSet.all(70).count == 70 && !RowSet.all(70).contains(70))
    }
}


/// Stepping through a W3 recording: every table the debugger shows, built
/// from deltas, undo patches and caches, equals a fresh decode.
@Suite struct SteppingTests {
    @Test("forward to the end and back to the start, every shown column equals a fresh store's decode, and the diff is exact")
    func stepsAreExact() throws {
        let directory = NSTemporaryDirectory() + "tickscope-steps-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let writer = try CheckpointStore.openForWriting(directory)
            var simulation = SwarmTimeline(entities: 3000)
            for step in 0...30 {
                if step > 0 { simulation.advance() }
                try writer.commit(simulation.snapshot, options: WriteOptions(codec: .zstd(level: 1)))
            }
        }
        let debugger = try Debugger(store: CheckpointStore.open(directory), title: "w3")
        let fresh = try CheckpointStore.open(directory)
        func check() throws {
            let checkpoint = try #require(debugger.cursor.current)
            let table = try #require(debugger.table)
            let reference = try fresh.snapshot(checkpoint.id).archetypes[0]
            #expect(table.ids == reference.entities, "\(checkpoint.id)")
            #expect(table.columns == reference.columns, "\(checkpoint.id)")
            if debugger.cursor.position > 0 {
                let diff = try fresh.diff(debugger.cursor.checkpoints[debugger.cursor.position - 1].id, checkpoint.id)
                #expect(table.changes?.changedCells == diff.changed.count, "\(checkpoint.id)")
            }
        }
        try check()
        debugger.handle(.character("l"))
        // The way back: an undo patch, from the values the step forward XORed into each column it patched in place.
        let session = debugger.session
        #expect(session.undoPatches.count == 4 && Set(session.undoPatches.keys).union(session.deltaSources.keys).count == 4,
                "x, y, z and health changed at tick 1: a way back each")
        debugger.handle(.character("h"))
        try check()
        for _ in 0..<30 { debugger.handle(.character("l")); try check() }
        for _ in 0..<30 { debugger.handle(.character("h")); try check() }
        #expect(debugger.cursor.position == 0)
    }
}
