import Foundation
import Interop
import Testing

/// `tickscope open` and `bench ui` as a user runs them, without a terminal.
@Suite struct OpenCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Every file of a store folder but its LOCK, by name.
    static func files(_ folder: String) throws -> [String: Data] {
        var bytes: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name != "LOCK" {
            bytes[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return bytes
    }

    @Test("without a terminal, tickscope says so in one line, suggests --print, and exits 2, copying nothing")
    func noTerminal() throws {
        let scratch = try Scratch()
        let result = try TickscopeProcess.run([], environment: ["TICKSCOPE_HOME": Self.root, "XDG_STATE_HOME": scratch.path])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("not a terminal") && result.stderr.contains("--print"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("a sample named by its path opens as the user's copy too, and every command that writes refuses a sample, saying to copy it")
    func samplesStayAsShipped() throws {
        let scratch = try Scratch()
        let samples = ["ecosystem", "boids", "orbits"].map { Self.root + "/SampleWorlds/" + $0 }
        let shipped = try samples.map(Self.files)
        let environment = ["XDG_STATE_HOME": scratch.path]
        // Any spelling of the sample's folder is the sample.
        let opened = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/../SampleWorlds/boids/", "--print", "--size", "100x8", "--keys", "l f ENTER"],
                                              environment: environment)
        #expect(opened.stdout.contains("/tickscope/samples/boids  branch fork-2 "), "\(opened.stdout)")
        #expect(try TickscopeProcess.run(["branch", "list", scratch.file("tickscope/samples/boids")]).stdout.contains("fork-2"))
        let refusals: [[String]] = [
            ["fork", samples[0], "--at", "3", "--name", "x"], ["record", "ecosystem", "--resume", samples[0] + "@main", "--ticks", "1"],
            ["record", "boids", samples[1], "--ticks", "1"], ["prune", samples[1], "--keep", "3"], ["gc", samples[1]],
            ["branch", "rename", samples[2], "main", "other"], ["branch", "delete", samples[2], "main"], ["recover", samples[2]],
            ["config", samples[0], "resume", "echo"], ["import", samples[0], Self.root + "/SampleWorlds/swarm-1000.tscp"],
        ]
        for arguments in refusals {
            let result = try TickscopeProcess.run(arguments, environment: environment)
            #expect(result.status == 1 && result.stderr.contains(" is a sample shipped with tickscope and stays as shipped; work on a copy (cp -r "),
                    "\(arguments): \(result.stderr)")
        }
        #expect(try samples.map(Self.files) == shipped, "a sample was changed")
    }

    @Test("make run opens the debugger as a bare tickscope does (on the user's copy), never a sample of the repository in place")
    func makeRunOpensTheCopy() throws {
        let makefile = try String(contentsOfFile: Self.root + "/Makefile", encoding: .utf8)
        let lines = makefile.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("run:") })
        let recipe = lines[(start + 1)...].prefix { $0.hasPrefix("\t") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(recipe.last == ".build/release/tickscope", "\(recipe)")
    }

    @Test("a bare open works on the user's copy of the sample: a fork goes to the copy, is there the next time, and the sample stays as shipped")
    func sampleCopy() throws {
        let scratch = try Scratch()
        let sample = Self.root + "/SampleWorlds/ecosystem"
        let shipped = try Self.files(sample)
        let environment = ["TICKSCOPE_HOME": Self.root, "XDG_STATE_HOME": scratch.path, "XDG_CONFIG_HOME": scratch.file("config")]
        let copy = scratch.file("tickscope/samples/ecosystem")
        let forked = try TickscopeProcess.run(["open", "--print", "--size", "120x8", "--keys", "l f TEXT:mine ENTER"], environment: environment)
        #expect(forked.status == 0, "\(forked.stderr)")
        #expect(forked.stdout.hasPrefix(" tickscope  ") && forked.stdout.contains("/tickscope/samples/ecosystem  branch fork-1mine "), "\(forked.stdout)")
        // The status line says so when the copy is made, and at each bare open after.
        let first = try TickscopeProcess.run(["open", "--print", "--size", "120x8"], environment: ["TICKSCOPE_HOME": Self.root, "XDG_STATE_HOME": scratch.file("other")])
        #expect(first.stdout.split(separator: "\n").last == " your own copy of the ecosystem sample, made now: forks and runs stay in it", "\(first.stdout)")
        #expect(try Self.files(sample) == shipped, "the sample was changed")
        let again = try TickscopeProcess.run(["branch", "list", copy], environment: environment)
        #expect(again.stdout.contains("fork-1mine"), "\(again.stdout)")
        // The next bare open finds the same copy, fork and all.
        let reopened = try TickscopeProcess.run(["open", "--print", "--size", "120x8", "--keys", "b"], environment: environment)
        #expect(reopened.stdout.contains("/tickscope/samples/ecosystem  branch fork-1mine "), "\(reopened.stdout)")
        let plain = try TickscopeProcess.run(["open", "--print", "--size", "120x8"], environment: environment)
        #expect(plain.stdout.split(separator: "\n").last == " your own copy of the ecosystem sample: forks and runs stay in it", "\(plain.stdout)")
    }

    @Test("a copy made before the sample changed is kept, fork and all, and the status line says how to start from the new sample")
    func sampleChangedSinceTheCopy() throws {
        let scratch = try Scratch()
        // A tickscope folder of its own, whose ecosystem sample this test replaces the way a newer tickscope would.
        let home = scratch.file("home"), sample = home + "/SampleWorlds/ecosystem"
        try FileManager.default.createDirectory(atPath: home + "/SampleWorlds", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.root + "/SampleWorlds/ecosystem", toPath: sample)
        let environment = ["TICKSCOPE_HOME": home, "XDG_STATE_HOME": scratch.path, "XDG_CONFIG_HOME": scratch.file("config")]
        let forked = try TickscopeProcess.run(["open", "--print", "--size", "120x8", "--keys", "l f TEXT:mine ENTER"], environment: environment)
        #expect(forked.status == 0, "\(forked.stderr)")
        let same = try TickscopeProcess.run(["open", "--print", "--size", "120x8"], environment: environment)
        #expect(same.stdout.split(separator: "\n").last == " your own copy of the ecosystem sample: forks and runs stay in it", "\(same.stdout)")
        for name in try FileManager.default.contentsOfDirectory(atPath: sample) { try FileManager.default.removeItem(atPath: sample + "/" + name) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root + "/SampleWorlds/orbits") {
            try FileManager.default.copyItem(atPath: Self.root + "/SampleWorlds/orbits/" + name, toPath: sample + "/" + name)
        }
        let changed = try TickscopeProcess.run(["open", "--print", "--size", "140x8", "--keys", "b"], environment: environment)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("/tickscope/samples/ecosystem  branch fork-1mine "), "the copy is kept: \(changed.stdout)")
        let copy = scratch.file("tickscope/samples/ecosystem")
        let plain = try TickscopeProcess.run(["open", "--print", "--size", "100x8"], environment: environment)
        let lines = plain.stdout.split(separator: "\n")
        #expect(lines.last == " your copy of the ecosystem sample is older than the one shipped; delete it to copy the new one", "\(plain.stdout)")
        // Deleting the copy, as the line says, starts again from the new sample.
        try FileManager.default.removeItem(atPath: copy)
        let fresh = try TickscopeProcess.run(["open", "--print", "--size", "120x8"], environment: environment)
        #expect(fresh.stdout.split(separator: "\n").last == " your own copy of the ecosystem sample, made now: forks and runs stay in it", "\(fresh.stdout)")
        #expect(try TickscopeProcess.run(["log", copy]).stdout.contains("#orbits"))
        let after = try TickscopeProcess.run(["open", "--print", "--size", "120x8"], environment: environment)
        #expect(after.stdout.split(separator: "\n").last == " your own copy of the ecosystem sample: forks and runs stay in it", "\(after.stdout)")
    }

    @Test("--print applies --keys and prints the screen; a standalone snapshot file opens too")
    func print() throws {
        let result = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/ecosystem", "--print", "--size", "80x24", "--at", "100", "--keys", "a # 2 6 5 ENTER"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 25 && lines[0].contains("c101 tick 100"))
        #expect(lines.contains { $0.contains(" 265 ") && $0.contains("84.26078") })
        let file = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/swarm-1000.tscp", "--print", "--size", "100x20"])
        #expect(file.status == 0 && file.stdout.contains("   1000 Pos+Vel+Hea     │id ") && file.stdout.contains("0.74156487"), "\(file.stdout)\(file.stderr)")
    }

    @Test("--keys: CLICK:X,Y clicks where the screen draws (the timeline seeks), TEXT: types a word")
    func clickAndText() throws {
        let click = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/ecosystem", "--print", "--size", "100x20", "--keys", "CLICK:50,1"])
        #expect(click.stdout.split(separator: "\n").first?.contains("c91 tick 90") == true, "\(click.stdout)")
        let typed = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/ecosystem", "--print", "--size", "100x20",
                                              "--keys", "a / TEXT:Health.value SPACE < SPACE 0 ENTER F"])
        #expect(typed.stdout.split(separator: "\n").first?.contains("c101 tick 100") == true, "\(typed.stdout)")
    }

    @Test("--theme picks a shipped theme; an unknown theme names the choices and where to add one")
    func themes() throws {
        let light = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/ecosystem", "--print", "--theme", "light"], environment: ["TICKSCOPE_HOME": Self.root])
        #expect(light.status == 0, "\(light.stderr)")
        let missing = try TickscopeProcess.run(["open", Self.root + "/SampleWorlds/ecosystem", "--print", "--theme", "nope"], environment: ["TICKSCOPE_HOME": Self.root])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no theme nope (dark, high-contrast, light, mono; add yours as "))
    }

    @Test("the XDG config directory's keys file rebinds keys; a bad line stops with file and line")
    func userConfig() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.file("tickscope/themes"), withIntermediateDirectories: true)
        try "x step-forward\n".write(toFile: scratch.file("tickscope/keys"), atomically: true, encoding: .utf8)
        try "theme = mine\n".write(toFile: scratch.file("tickscope/config"), atomically: true, encoding: .utf8)
        let mono = try String(contentsOfFile: Self.root + "/Themes/mono.theme", encoding: .utf8)
        try mono.write(toFile: scratch.file("tickscope/themes/mine.theme"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": scratch.path, "XDG_STATE_HOME": scratch.path, "TICKSCOPE_HOME": Self.root]
        let result = try TickscopeProcess.run(["open", "--print", "--keys", "x x"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("c3 tick 2"))
        try "x fly\n".write(toFile: scratch.file("tickscope/keys"), atomically: true, encoding: .utf8)
        let bad = try TickscopeProcess.run(["open", "--print"], environment: environment)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains(scratch.file("tickscope/keys") + ":1: unknown action \"fly\""))
    }

    @Test("a theme file with a mistake stops only the open that chooses it, naming its file and line")
    func brokenTheme() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.file("tickscope/themes"), withIntermediateDirectories: true)
        try "base = chartreuse\n".write(toFile: scratch.file("tickscope/themes/odd.theme"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": scratch.path, "XDG_STATE_HOME": scratch.path, "TICKSCOPE_HOME": Self.root]
        let other = try TickscopeProcess.run(["open", "--print", "--size", "250x30", "--keys", ": t h e m e SPACE o d d ENTER"], environment: environment)
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stdout.contains("odd.theme:1: unknown colour \"chartreuse\""))
        let chosen = try TickscopeProcess.run(["open", "--print", "--theme", "odd"], environment: environment)
        #expect(chosen.status != 0)
        #expect(chosen.stderr.contains(scratch.file("tickscope/themes/odd.theme") + ":1: unknown colour \"chartreuse\""))
    }

    @Test("bench ui --json prints one object with exactly the issue's keys")
    func benchUI() throws {
        let result = try TickscopeProcess.run(["bench", "ui", "--entities", "3000", "--ticks", "4", "--json"], environment: ["TICKSCOPE_HOME": Self.root])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONParser.parse(Array(result.stdout.utf8.dropLast()))
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["entities", "step_ms_median", "step_ms_p99", "sort_ms", "filter_ms", "startup_ms", "rss_bytes"])
        #expect(json["entities"] == .number("3000"))
    }

    @Test("bench ui paced: the text names the pace, each slowest step what it read and cost, the CPU of a step, and memory in both states; a toggling walk; a pace out of range is refused")
    func benchUIPaced() throws {
        let result = try TickscopeProcess.run(["bench", "ui", "--entities", "3000", "--ticks", "4", "--pace", "5"], environment: ["TICKSCOPE_HOME": Self.root])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("a key 5 ms after each frame") && result.stdout.contains(" KB decoded, ")
                && result.stdout.contains("resident memory") && result.stdout.contains("after a step onto it"), "\(result.stdout)")
        // Where a step's time went besides the wall clock: its thread's CPU, the hypervisor's steal, preemptions.
        #expect(result.stdout.contains("ms p99 on the key's thread; over all steps ") && result.stdout.contains(" ms stolen by the hypervisor, ")
                && result.stdout.contains(" preempted, ") && result.stdout.contains(" pages faulted in)") && result.stdout.contains("  over 16 ms  "),
                "\(result.stdout)")
        // Toggling each tick: forward, back, forward again, three steps a tick.
        let toggled = try TickscopeProcess.run(["bench", "ui", "--entities", "3000", "--ticks", "4", "--walk", "toggle"], environment: ["TICKSCOPE_HOME": Self.root])
        #expect(toggled.status == 0 && toggled.stdout.contains("each tick toggled") && toggled.stdout.contains("(12 steps; "), "\(toggled.stdout)")
        let refused = try TickscopeProcess.run(["bench", "ui", "--pace", "5000"])
        #expect(refused.status != 0 && refused.stderr.contains("--pace must be between 0 and 1000"), "\(refused.stderr)")
    }
}
