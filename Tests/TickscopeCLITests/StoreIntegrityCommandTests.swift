import Foundation
import Interop
import Testing

/// The store-integrity defects of issue 12 as a user meets them on the
/// command line.
@Suite struct StoreIntegrityCommandTests {
    static func recordEcosystem(_ scratch: Scratch, ticks: Int = 10) throws -> String {
        let store = scratch.file("eco")
        let result = try TickscopeProcess.run(["record", "ecosystem", store, "--ticks", String(ticks)])
        #expect(result.status == 0, "\(result.stderr)")
        return store
    }

    /// A 32-byte key file whose bytes the tests look for in every output.
    static func keyFile(_ scratch: Scratch) throws -> (path: String, bytes: [UInt8]) {
        let path = scratch.file("k.key")
        let made = try TickscopeProcess.run(["key", "new", path])
        #expect(made.status == 0, "\(made.stderr)")
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func leaks(_ text: String, _ key: [UInt8]) -> Bool {
        let hexes = [key.prefix(8).map { String($0, radix: 16) }.joined(separator: " "),
                     key.prefix(4).map { String(format: "%02x", $0) }.joined()]
        let number = String(key.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        return hexes.contains { text.contains($0) } || text.contains(number)
    }

    @Test("no command prints bytes of a key file it cannot identify", arguments: [
        ["inspect"], ["verify"], ["unpack"], ["repack", "-o", "/dev/null/x"], ["xs", "list"], ["open", "--print"], ["import"],
    ])
    func keyBytesNeverPrinted(command: [String]) throws {
        let scratch = try Scratch()
        let key = try Self.keyFile(scratch)
        var arguments = [command[0]]
        if command[0] == "xs" { arguments.append("list") }
        arguments.append(key.path)
        if command[0] == "import" { arguments.append(scratch.file("imported")) }
        arguments += command.dropFirst(command[0] == "xs" ? 2 : 1)
        let result = try TickscopeProcess.run(arguments)
        #expect(result.status != 0)
        #expect(!Self.leaks(result.stdout + result.stderr, key.bytes), "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test("import is all or nothing: a bad file among good ones adds no checkpoint, and a store it created is taken back")
    func importIsAllOrNothing() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 3)
        var snapshots: [String] = []
        for at in ["c1", "c2"] {
            let file = scratch.file("\(at).tks")
            #expect(try TickscopeProcess.run(["export", store, "--at", at, "-o", file]).status == 0)
            snapshots.append(file)
        }
        let bad = scratch.file("bad.tks")
        #expect(FileManager.default.createFile(atPath: bad, contents: Data("not a snapshot".utf8)))
        let before = try TickscopeProcess.run(["log", store]).stdout
        let manifest = try Data(contentsOf: URL(fileURLWithPath: store + "/MANIFEST"))
        let failed = try TickscopeProcess.run(["import", store] + snapshots + [bad])
        #expect(failed.status != 0 && failed.stderr.contains(bad), "\(failed.stderr)")
        #expect(failed.stdout.isEmpty, "nothing is said to be imported: \(failed.stdout)")
        #expect(try TickscopeProcess.run(["log", store]).stdout == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "/MANIFEST")) == manifest, "not even a new generation")
        // Into a folder that did not exist: no store, no folder afterwards.
        let fresh = scratch.file("fresh")
        #expect(try TickscopeProcess.run(["import", fresh] + snapshots + [bad]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        // An encrypted one too (its STOREID goes with it).
        let key = try Self.keyFile(scratch)
        #expect(try TickscopeProcess.run(["import", fresh, "--key-file", key.path] + snapshots + [bad]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        // Into an empty folder of the user's: the folder stays, empty.
        let empty = scratch.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        #expect(try TickscopeProcess.run(["import", empty, bad]).status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty) == [])
        // The good files alone go in, in order, as one commit.
        let imported = try TickscopeProcess.run(["import", fresh] + snapshots)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "\(snapshots[0]) -> c1 (tick 0)\n\(snapshots[1]) -> c2 (tick 1)\n")
    }

    @Test("an output's temporary files left by killed writers are removed by the next write; a live writer's and links stay")
    func leftoverTemporaryFiles() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let output = scratch.file("out.tks")
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let leftover = output + ".tmp-\(dead)", live = output + ".tmp-1", link = output + ".tmp-\(dead - 1)", other = scratch.file("other.tks.tmp-\(dead)")
        for path in [leftover, live, other] { #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8))) }
        #expect(symlink(scratch.file("elsewhere"), link) == 0)
        let result = try TickscopeProcess.run(["export", store, "--at", "c1", "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
        #expect(!names.contains("out.tks.tmp-\(dead)"), "the dead writer's half file is gone")
        #expect(names.isSuperset(of: ["out.tks", "out.tks.tmp-1", "out.tks.tmp-\(dead - 1)", "other.tks.tmp-\(dead)"]), "\(names)")
    }

    @Test("config sets, shows and removes the resume command; an encrypted store keeps it sealed; bundle carries it")
    func config() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let command = "python3 sim.py --resume {store}@{branch}"
        #expect(try TickscopeProcess.run(["config", store, "resume", command]).status == 0)
        #expect(try TickscopeProcess.run(["config", store, "resume"]).stdout == command + "\n")
        #expect(try TickscopeProcess.run(["config", store]).stdout == "resume \(command)\n")
        #expect(try String(contentsOfFile: store + "/CONFIG", encoding: .utf8) == "resume \(command)\n")
        let bundle = scratch.file("eco.xs"), unbundled = scratch.file("unbundled")
        #expect(try TickscopeProcess.run(["bundle", store, bundle]).status == 0)
        #expect(try TickscopeProcess.run(["unbundle", bundle, unbundled]).status == 0)
        #expect(try TickscopeProcess.run(["config", unbundled, "resume"]).stdout == command + "\n")
        #expect(try TickscopeProcess.run(["config", store, "--unset", "resume"]).status == 0)
        let unsetShown = try TickscopeProcess.run(["config", store, "resume"])
        #expect(unsetShown.status != 0 && unsetShown.stderr == "Error: \(store): resume is not set\n")
        let unknown = try TickscopeProcess.run(["config", store, "colour", "red"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no setting colour (known: resume)"))
        // Encrypted: sealed like MARKS, read back with the key.
        let key = try Self.keyFile(scratch)
        let sealed = scratch.file("sealed")
        #expect(try TickscopeProcess.run(["record", "ecosystem", sealed, "--ticks", "1", "--key-file", key.path]).status == 0)
        #expect(try TickscopeProcess.run(["config", sealed, "resume", command, "--key-file", key.path]).status == 0)
        #expect(try TickscopeProcess.run(["config", sealed, "resume", "--key-file", key.path]).stdout == command + "\n")
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: sealed + "/CONFIG"))).contains(Data("python3".utf8)))
    }

    @Test("an output that is a FIFO or a device is refused, not replaced")
    func outputsAreNotReplaced() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let fifo = scratch.file("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try TickscopeProcess.run(["export", store, "--at", "c1", "-o", fifo])
        #expect(result.status != 0)
        #expect(result.stderr == "Error: \(fifo) exists and is not a regular file; refusing to replace it\n")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "still a FIFO")
        let link = scratch.file("link")
        #expect(symlink(scratch.file("elsewhere"), link) == 0)
        #expect(try TickscopeProcess.run(["export", store, "--at", "c1", "-o", link]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("elsewhere")))
    }

    @Test("bundle packs only the store's own files: a planted link to a key and other files are skipped with a message")
    func bundleSkipsWhatIsNotTheStore() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let key = try Self.keyFile(scratch)
        #expect(symlink(key.path, store + "/key.key") == 0)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: store + "/notes.txt"))
        let package = scratch.file("eco.xs")
        let result = try TickscopeProcess.run(["bundle", store, package])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("skipped \(store)/key.key"))
        #expect(result.stderr.contains("skipped \(store)/notes.txt"))
        let entries = try XSPackage(path: package).entries.map(\.path)
        #expect(entries == ["[timeline]/MANIFEST", "[timeline]/index-000001.tsi", "[timeline]/data-000001.tsd"])
        #expect(try TickscopeProcess.run(["open", package, "--print", "--size", "80x24"]).status == 0)
    }

    @Test("gc, prune and fork on a mistyped path fail and create nothing")
    func mistypedPaths() throws {
        let scratch = try Scratch()
        let missing = scratch.file("typo")
        for arguments in [["gc", missing], ["prune", missing, "--keep", "1"], ["fork", missing, "--at", "c1", "--name", "x"],
                          ["record", "ecosystem", "--resume", missing + "@main", "--ticks", "1"]] {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: missing), "\(arguments) created the folder")
        }
    }

    @Test("a disk that fills up while recording, through the real file calls: the error names the file, the store holds exactly the acknowledged checkpoints and not a byte more, and recording goes on once there is room",
          arguments: [0, 100, 3_000, 31_000, 64_000, 97_000, 129_000, 160_000])
    func fullDisk(room: Int) throws {
        let scratch = try Scratch()
        // Tests/Shims/full-disk.c, preloaded: files in one folder may take `room` more bytes, then ENOSPC.
        let shim = scratch.file("full-disk.so")
        let built = try TickscopeProcess.run(SDKExampleTests.tool("gcc"), [
            "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", shim, OpenCommandTests.root + "/Tests/Shims/full-disk.c", "-ldl"])
        try #require(built.status == 0, "\(built.stderr)")
        let store = scratch.file("runs/boids")
        try FileManager.default.createDirectory(atPath: scratch.file("runs"), withIntermediateDirectories: false)
        let full = try TickscopeProcess.run(["record", "boids", store, "--ticks", "1000"], environment: [
            "LD_PRELOAD": shim, "TICKSCOPE_FULL_DISK_FOLDER": scratch.file("runs"), "TICKSCOPE_FULL_DISK_BYTES": String(room)])
        #expect(full.status == 1)
        #expect(full.stderr.hasPrefix("Error: cannot write \(store)/") && full.stderr.hasSuffix(": No space left on device\n")
                && full.stderr.split(separator: "\n").count == 1, "room \(room): \(full.stderr)")
        let acknowledged = full.stdout.split(separator: "\n").filter { $0.hasPrefix("committed ") }
        if FileManager.default.fileExists(atPath: store + "/MANIFEST") {
            let log = try TickscopeProcess.run(["log", store])
            let summary = log.stdout.split(separator: "\n").last.map(String.init) ?? ""
            #expect(summary.hasPrefix(acknowledged.count == 1 ? "1 checkpoint, " : "\(acknowledged.count) checkpoints, "), "room \(room): \(summary)")
            // Not a byte of the failed commit stays after what the MANIFEST names.
            let files = try FileManager.default.contentsOfDirectory(atPath: store).filter { $0.hasSuffix(".tsd") || $0.hasSuffix(".tsi") }
            let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: store + "/" + $0)[.size] as! Int }.reduce(0, +)
            #expect(summary.hasSuffix(", \(sizes) bytes on disk"), "room \(room): files of \(sizes) bytes, \(summary)")
            if !acknowledged.isEmpty { #expect(try TickscopeProcess.run(["verify", store]).status == 0) }
        } else {
            #expect(acknowledged.isEmpty)
        }
        // With room again: carried on, or made anew when the first commit never landed.
        let again = acknowledged.isEmpty
            ? try TickscopeProcess.run(["record", "boids", store, "--ticks", "2"])
            : try TickscopeProcess.run(["record", "boids", "--resume", store + "@main", "--ticks", "2"])
        #expect(again.status == 0, "room \(room): \(again.stderr)")
        #expect(try TickscopeProcess.run(["verify", store]).stdout.hasPrefix("\(store): ok, \(acknowledged.count + 2 + (acknowledged.isEmpty ? 1 : 0)) checkpoints"))
    }

    @Test("importing files out of tick order commits them all and warns that the timeline goes back in time")
    func importOutOfTickOrder() throws {
        let scratch = try Scratch()
        let orbits = OpenCommandTests.root + "/SampleWorlds/orbits"
        for (tick, file) in [("40", "t40.tscp"), ("8", "t8.tscp"), ("12", "t12.tscp")] {
            #expect(try TickscopeProcess.run(["export", orbits, "--at", tick, "-o", scratch.file(file)]).status == 0)
        }
        let store = scratch.file("store")
        let result = try TickscopeProcess.run(["import", store, scratch.file("t40.tscp"), scratch.file("t8.tscp"), scratch.file("t12.tscp")])
        #expect(result.status == 0 && result.stdout.split(separator: "\n").count == 3, "\(result.stderr)")
        #expect(result.stderr == "warning: \(scratch.file("t8.tscp")): tick 8 follows tick 40 on main, so its timeline goes back in time; give the files in tick order to keep it going forward\n")
        // In order, on top of what is there, nothing to warn about.
        let more = try TickscopeProcess.run(["import", store, scratch.file("t40.tscp")])
        #expect(more.status == 0 && more.stderr.isEmpty, "\(more.stderr)")
    }

    @Test("a tick between two recorded ones is an error naming the nearest checkpoints on each side")
    func tickBetweenCheckpoints() throws {
        let scratch = try Scratch()
        let copy = scratch.file("orbits")
        try FileManager.default.copyItem(atPath: OpenCommandTests.root + "/SampleWorlds/orbits", toPath: copy)
        let holds = "checkpoints c1…c101; main: ticks 0…400"
        for (arguments, expected) in [
            (["fork", copy, "--at", "5", "--name", "x"], "no checkpoint 5 (\(holds), nearest 4 (c2) and 8 (c3), tickscope log lists them)"),
            (["diff", copy, "main@9", "400"], "no checkpoint main@9 (\(holds), nearest 8 (c3) and 12 (c4), tickscope log lists them)"),
            (["export", copy, "--at", "401", "-o", scratch.file("x.tscp")], "no checkpoint 401 (\(holds), tickscope log lists them)"),
        ] {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status == 1 && result.stderr == "Error: \(copy): \(expected)\n", "\(arguments): \(result.stderr)")
        }
        #expect(try TickscopeProcess.run(["branch", "list", copy]).stdout.split(separator: "\n").count == 2, "no branch was made")
    }

    @Test("recording into a folder of other files is refused and leaves the folder exactly as it was (no LOCK left behind)")
    func folderOfOtherFiles() throws {
        let scratch = try Scratch()
        let folder = scratch.file("documents")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("my notes\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        for arguments in [["record", "orbits", folder, "--ticks", "2"], ["import", folder, OpenCommandTests.root + "/SampleWorlds/swarm-1000.tscp"]] {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == "Error: \(folder): the folder holds other files (notes.txt) and no store; record into a new or empty folder\n", "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"], "\(arguments)")
            #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "my notes\n")
        }
    }

    @Test("a store whose MANIFEST is gone is never recorded over; its data stays")
    func missingManifest() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 5)
        let data = store + "/data-000001.tsd"
        let size = try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int
        try FileManager.default.removeItem(atPath: store + "/MANIFEST")
        let result = try TickscopeProcess.run(["record", "ecosystem", store, "--ticks", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("has store files (data-000001.tsd, index-000001.tsi) but no valid MANIFEST"), "\(result.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int == size)
    }

    @Test("a store that lost its tail: log, diff and export show the intact checkpoints with a warning; verify fails naming recover")
    func damagedStoreIsReadable() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 5)
        let index = store + "/index-000001.tsi"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        try bytes.dropLast(12).write(to: URL(fileURLWithPath: index))
        let log = try TickscopeProcess.run(["log", store])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("5 checkpoints"), "\(log.stdout)")
        #expect(log.stderr.contains("index-000001.tsi holds only"), "\(log.stderr)")
        #expect(log.stderr.contains("tickscope recover \(store)"), "\(log.stderr)")
        let diff = try TickscopeProcess.run(["diff", store, "c1", "c5"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let export = try TickscopeProcess.run(["export", store, "--at", "c5", "-o", scratch.file("c5.tscp")])
        #expect(export.status == 0, "\(export.stderr)")
        let verify = try TickscopeProcess.run(["verify", store])
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("5 intact checkpoints; `tickscope recover \(store)` repairs it"), "\(verify.stderr)")
        let recover = try TickscopeProcess.run(["recover", store])
        #expect(recover.status == 0, "\(recover.stderr)")
        let after = try TickscopeProcess.run(["verify", store])
        #expect(after.status == 0, "\(after.stderr)")
    }

    @Test("branch names with @, /, newlines or nothing are refused by record and fork")
    func branchNames() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        for name in ["x@y", "a/b", "two\nlines", ""] {
            let fork = try TickscopeProcess.run(["fork", store, "--at", "c1", "--name", name])
            #expect(fork.status != 0, "fork \(name.debugDescription)")
            #expect(fork.stderr.contains("is not a valid branch name"), "\(fork.stderr)")
            let record = try TickscopeProcess.run(["record", "ecosystem", scratch.file("new"), "--branch", name, "--ticks", "1"])
            #expect(record.status != 0, "record --branch \(name.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file("new")))
    }

    @Test("ids are not reused after prune and gc: log says the fork point is gone and resume refuses it")
    func forkPointGone() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 9)
        #expect(try TickscopeProcess.run(["fork", store, "--at", "c9", "--name", "side"]).status == 0)
        #expect(try TickscopeProcess.run(["prune", store, "--after", "5"]).status == 0)
        #expect(try TickscopeProcess.run(["gc", store]).status == 0)
        let again = try TickscopeProcess.run(["record", "ecosystem", "--resume", store + "@main", "--ticks", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("committed c11 "), "\(again.stdout)")
        let log = try TickscopeProcess.run(["log", store])
        #expect(log.stdout.contains("branch side (forked from c9, since deleted)"), "\(log.stdout)")
        let resume = try TickscopeProcess.run(["record", "ecosystem", "--resume", store + "@side", "--ticks", "1"])
        #expect(resume.status != 0)
        #expect(resume.stderr.contains("forked from c9, which has been deleted"), "\(resume.stderr)")
    }

    @Test("a fork edit naming an entity or field that is not there names the store, the checkpoint and what is there; no branch is made")
    func forkEditErrors() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let world = try TickscopeProcess.run(["export", store, "--at", "c1", "--format", "jsonl", "-o", "-"])
        let ids = world.stdout.split(separator: "\n").dropFirst().compactMap { line -> UInt64? in
            guard let range = line.range(of: "{\"id\":") else { return nil }
            return UInt64(line[range.upperBound...].prefix { $0.isNumber })
        }
        let count = ids.count, low = try #require(ids.min()), high = try #require(ids.max())
        let absent = try #require((1...high + 1).first { !ids.contains($0) })
        let missing = try TickscopeProcess.run(["fork", store, "--at", "c1", "--name", "x", "--set", "\(absent).Health.value=5"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error: \(store): c1 (tick 0 on main): no entity \(absent) (the world's \(count) entities have ids \(low) to \(high))\n", "\(missing.stderr)")
        let field = try TickscopeProcess.run(["fork", store, "--at", "c1", "--name", "x", "--set", "\(ids[0]).Health.nope=5"])
        #expect(field.status == 1)
        #expect(field.stderr.hasPrefix("Error: \(store): c1 (tick 0 on main): entity \(ids[0]) has no Health.nope (its fields: Position.x, Position.y, "), "\(field.stderr)")
        #expect(try TickscopeProcess.run(["branch", "list", store]).stdout.contains("x ") == false)
    }

    @Test("fork --set of a finite value too large for f32 says so instead of storing inf")
    func f32Overflow() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 2)
        let result = try TickscopeProcess.run(["fork", store, "--at", "c1", "--name", "big", "--set", "265.Health.value=1e39"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("1e39 does not fit f32"), "\(result.stderr)")
        #expect(try TickscopeProcess.run(["log", store]).stdout.contains("branch big") == false)
    }
}

extension StoreIntegrityCommandTests {
    @Test("branch list shows each branch's fork point and ticks; branch delete undoes a fork in one commit and gc reclaims it")
    func branchListAndDelete() throws {
        let scratch = try Scratch()
        let store = try Self.recordEcosystem(scratch, ticks: 6)
        #expect(try TickscopeProcess.run(["fork", store, "--at", "3", "--name", "fix", "--set", "265.Health.value=5"]).status == 0)
        #expect(try TickscopeProcess.run(["record", "ecosystem", "--resume", store + "@fix", "--ticks", "2"]).status == 0)
        let list = try TickscopeProcess.run(["branch", "list", store])
        #expect(list.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
                == ["branch forked from checkpoints ticks", "main - 7 0..6", "fix c4 (tick 3) 3 3..5"], "\(list.stdout)")
        // Renamed, the branch keeps its checkpoints and fork point; the old name is gone, a taken name refused.
        let renamed = try TickscopeProcess.run(["branch", "rename", store, "fix", "health-fix"])
        #expect(renamed.status == 0 && renamed.stdout == "renamed branch fix to health-fix\n", "\(renamed.stdout)\(renamed.stderr)")
        #expect(try TickscopeProcess.run(["branch", "list", store]).stdout.contains("health-fix      c4 (tick 3)"))
        #expect(try TickscopeProcess.run(["query", store, "first tick where Health.value == 5 on health-fix"]).stdout.contains("health-fix"))
        let taken = try TickscopeProcess.run(["branch", "rename", store, "health-fix", "main"])
        #expect(taken.status != 0 && taken.stderr.contains("main"), "\(taken.stderr)")
        #expect(try TickscopeProcess.run(["export", store + "@fix", "-o", scratch.file("x.tscp")]).status != 0)
        let deleted = try TickscopeProcess.run(["branch", "delete", store, "health-fix"])
        #expect(deleted.stdout.hasPrefix("deleted branch health-fix and its 3 checkpoints (c8…c10)"), "\(deleted.stdout)\(deleted.stderr)")
        #expect(try TickscopeProcess.run(["branch", "list", store, "--json"]).stdout
                == "[{\"name\":\"main\",\"forked_from\":null,\"checkpoints\":7,\"first_tick\":0,\"last_tick\":6}]\n")
        let again = try TickscopeProcess.run(["branch", "delete", store, "fix"])
        #expect(again.status != 0 && again.stderr.contains("fix"), "\(again.stderr)")
        #expect(try TickscopeProcess.run(["gc", store]).status == 0)
        #expect(try TickscopeProcess.run(["verify", store]).status == 0)
    }
}
