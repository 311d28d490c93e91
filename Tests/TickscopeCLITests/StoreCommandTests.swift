import Foundation
import Interop
import PackCodec
import Simulations
import Testing
import Timeline

@Suite struct StoreCommandTests {
    /// A W3 recording of 500 entities over 30 ticks, made by `tickscope record`.
    static func recorded(_ scratch: Scratch) throws -> String {
        let directory = scratch.file("rec")
        let result = try TickscopeProcess.run(["record", "swarm", directory, "--entities", "500", "--ticks", "30"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").last == "committed c31 tick 30")
        return directory
    }

    @Test("a new recording into a store starts a branch: onto one that exists it is refused, naming --branch and --resume, and nothing is added")
    func recordOntoAnExistingBranch() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let again = try TickscopeProcess.run(["record", "swarm", directory, "--entities", "500", "--ticks", "3"])
        #expect(again.status == 1)
        #expect(again.stderr == "Error: \(directory): branch main already holds a recording up to tick 30; record a new one on another --branch, "
                + "or carry this one on with --resume \(directory)@main\n")
        let other = try TickscopeProcess.run(["record", "swarm", directory, "--entities", "500", "--ticks", "3", "--branch", "second"])
        #expect(other.status == 0 && other.stdout.split(separator: "\n").last == "committed c35 tick 3", "\(other.stdout)\(other.stderr)")
        let log = try TickscopeProcess.run(["log", directory]).stdout
        #expect(log.contains("\n35 checkpoints, 2 branches, "), "\(log)")
    }

    @Test("log lists every checkpoint with its parent, and --json has the fields")
    func log() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let text = try TickscopeProcess.run(["log", directory])
        #expect(text.status == 0)
        #expect(text.stdout.contains("c2     main      c1             1       1.0       500"))
        #expect(text.stdout.contains("31 checkpoints, 1 branch, "))
        let json = try JSONParser.parse(Array(try TickscopeProcess.run(["log", directory, "--json"]).stdout.utf8.dropLast()))
        guard case .array(let rows)? = json["checkpoints"] else { Issue.record("no checkpoints"); return }
        #expect(rows.count == 31)
        #expect(rows[1]["parent"] == .string("c1"))
        #expect(rows[1]["tags"] == .array([.string("w3")]))
    }

    @Test("diff --json lists exactly the changed cells, with spawns at tick 25")
    func diffJSON() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let result = try TickscopeProcess.run(["diff", directory, "24", "main@25", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONParser.parse(Array(result.stdout.utf8.dropLast()))
        // W3 tick 25 replaces ids ending in 025 (none below 500) ... and ids 25 at N=500: i % 1000 == 25.
        #expect(json["despawned"] == .array([.number("25")]))
        #expect(json["spawned"] == .array([.number("25500")]))
        guard case .array(let changed)? = json["changed"] else { Issue.record("no changed"); return }
        // Compare with the simulation: every cell that differs, nothing else.
        var simulation = SwarmTimeline(entities: 500)
        for _ in 0..<24 { simulation.advance() }
        let before = simulation.snapshot.archetypes[0]
        simulation.advance()
        let after = simulation.snapshot.archetypes[0]
        var expected = 0
        for (row, id) in before.entities.enumerated() {
            guard let other = after.entities.firstIndex(of: id) else { continue }
            for column in before.columns.indices where before.columns[column].value(at: row) != after.columns[column].value(at: other) {
                expected += 1
            }
        }
        #expect(changed.count == expected)
        #expect(changed.first.map { Set(["entity", "component", "field", "old", "new"]) == Set(($0.objectKeys)) } == true)
    }

    @Test("fork with --set, then export and import, and verify the store")
    func forkExportImport() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let fork = try TickscopeProcess.run(["fork", directory, "--at", "10", "--name", "fix", "--set", "7.Health.value=100"])
        #expect(fork.status == 0, "\(fork.stderr)")
        #expect(fork.stdout == "branch fix forked from c11 (tick 10); edited world saved as c32\n")
        let diff = try TickscopeProcess.run(["diff", directory, "10", "fix@10"])
        #expect(diff.stdout.contains("entity 7 Health.value:"))
        #expect(diff.stdout.contains("-> 100.0"))
        let file = scratch.file("fix.tscp")
        #expect(try TickscopeProcess.run(["export", directory, "--at", "fix@last", "-o", file]).status == 0)
        let other = scratch.file("other")
        let imported = try TickscopeProcess.run(["import", other, file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let store = try CheckpointStore.open(other)
        let original = try CheckpointStore.open(directory)
        #expect(try store.snapshot(store.checkpoints[0].id) == original.snapshot(original.resolve("fix@last").id))
        let verify = try TickscopeProcess.run(["verify", directory])
        #expect(verify.status == 0)
        #expect(verify.stdout == "\(directory): ok, 32 checkpoints on 2 branches, every block checked\n")
    }

    @Test("no command writes its output over a file of a store: export, pack, repack, convert, unpack and bundle refuse; the store is unchanged")
    func outputOverAStoreFile() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let snapshot = scratch.file("one.tscp"), jsonl = scratch.file("one.jsonl")
        #expect(try TickscopeProcess.run(["export", directory, "--at", "3", "-o", snapshot]).status == 0)
        #expect(try TickscopeProcess.run(["unpack", snapshot, "-o", jsonl]).status == 0)
        let before = try Self.files(directory)
        for name in ["MANIFEST", "LOCK", "index-000001.tsi", "data-000001.tsd", "MARKS", "CONFIG", "MANIFEST.tmp-12", "index-000001.tsi.tail-set-aside-3"] {
            let target = directory + "/" + name
            for arguments in [
                ["export", directory, "--at", "3", "-o", target], ["export", directory, "--format", "jsonl", "-o", target],
                ["pack", jsonl, "-o", target], ["repack", snapshot, "-o", target], ["convert", snapshot, target, "--to", "jsonl"],
                ["unpack", snapshot, "-o", target], ["bundle", directory, target],
            ] {
                let result = try TickscopeProcess.run(arguments)
                #expect(result.status == 1 && result.stderr == "Error: \(target) is a file of the checkpoint store \(directory), which stays as it is; write the output elsewhere\n",
                        "\(arguments): \(result.stderr)")
            }
        }
        #expect(try Self.files(directory) == before, "the store's files are as they were")
        #expect(try TickscopeProcess.run(["verify", directory]).status == 0)
        // Any other name in the folder, and a file named MANIFEST in a folder that is not a store, are written.
        #expect(try TickscopeProcess.run(["export", directory, "--at", "3", "-o", directory + "/c3.tscp"]).status == 0)
        #expect(try TickscopeProcess.run(["export", directory, "--at", "3", "-o", scratch.file("MANIFEST")]).status == 0)
    }

    /// Every regular file in `folder` by name, with its bytes.
    static func files(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    @Test("prune then gc shrinks the store; bad references are one-line errors")
    func pruneGC() throws {
        let scratch = try Scratch()
        let directory = try Self.recorded(scratch)
        let unpruned = try TickscopeProcess.run(["gc", directory])
        #expect(unpruned.stdout.hasPrefix("nothing to reclaim: no deleted checkpoints or branches; "), "\(unpruned.stdout)")
        let everything = try TickscopeProcess.run(["prune", directory, "--keep", "0"])
        #expect(everything.status == 1)
        #expect(everything.stderr.contains("would delete all 31 checkpoints, the whole recording"), "\(everything.stderr)")
        #expect(try TickscopeProcess.run(["prune", directory, "--before", "31"]).status == 1)
        let only = try TickscopeProcess.run(["branch", "delete", directory, "main"])
        #expect(only.status == 1 && only.stderr.contains("branch main is the store's only branch; deleting it would delete the whole recording (31 checkpoints)"), "\(only.stderr)")
        let dry = try TickscopeProcess.run(["prune", directory, "--keep", "5", "--dry-run"])
        #expect(dry.stdout == "would delete 26 checkpoints: c1…c26 (main: ticks 0…25); 5 remain\n", "\(dry.stdout)")
        #expect(try TickscopeProcess.run(["log", directory]).stdout.contains("31 checkpoints"), "neither deleted anything")
        #expect(try TickscopeProcess.run(["prune", directory, "--keep", "6"]).stdout.hasPrefix("deleted 25 checkpoints; 6 remain"))
        // One of a thing is written as one: "1 checkpoint", "1 branch".
        #expect(try TickscopeProcess.run(["prune", directory, "--keep", "5"]).stdout.hasPrefix("deleted 1 checkpoint; 5 remain"))
        #expect(try TickscopeProcess.run(["verify", directory]).stdout == "\(directory): ok, 5 checkpoints on 1 branch, every block checked\n")
        let gc = try TickscopeProcess.run(["gc", directory])
        #expect(gc.status == 0)
        let sizes = gc.stdout.split(separator: " ").compactMap { Int($0) }
        #expect(sizes.count == 2 && sizes[1] < sizes[0])
        #expect(try TickscopeProcess.run(["verify", directory]).status == 0)
        let missing = try TickscopeProcess.run(["diff", directory, "c1", "c31"])
        #expect(missing.status != 0)
        // The error names the store as typed, and what it holds instead.
        let holds = "checkpoints c27…c31; main: ticks 26…30, tickscope log lists them"
        #expect(missing.stderr == "Error: \(directory): no checkpoint c1 (\(holds))\n")
        for (arguments, expected) in [
            (["export", directory, "--at", "99", "-o", scratch.file("x.tscp")], "no checkpoint 99 (\(holds))"),
            (["open", directory, "--at", "c1", "--print"], "no checkpoint c1 (\(holds))"),
            (["fork", directory, "--at", "c2", "--name", "x"], "no checkpoint c2 (\(holds))"),
            (["diff", directory, "c27", "nope@3"], "no branch nope (branches: main)"),
            (["export", directory, "--format", "jsonl", "--branch", "nope", "-o", "-"], "no branch nope (branches: main)"),
            (["branch", "delete", directory, "nope"], "no branch nope (branches: main)"),
            (["diverge", directory + "@main", directory + "@nope"], "no branch nope (branches: main)"),
            (["record", "ecosystem", "--resume", directory + "@nope", "--ticks", "1"], "no branch nope (branches: main)"),
        ] {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status == 1 && result.stderr == "Error: \(directory): \(expected)\n", "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("x.tscp")))
        let notStore = try TickscopeProcess.run(["log", scratch.path])
        // log reads whatever open reads; a folder of nothing it knows says so on one line.
        #expect(notStore.stderr == "Error: \(scratch.path): not a checkpoint store (no MANIFEST), and no .tx2pack or .snap files\n")
        let both = try TickscopeProcess.run(["prune", directory, "--keep", "1", "--before", "3"])
        #expect(both.status != 0)
    }
}

extension JSONValue {
    /// An object's member names.
    var objectKeys: [String] {
        if case .object(let members) = self { return members.map(\.0) }
        return []
    }
}
