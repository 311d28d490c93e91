import Foundation
import Interop
import PackCodec
import Simulations
import Testing

@Suite struct CommandTests {
    static let jsonl = """
        {"format":"tickscope-jsonl","version":1,"schema":[{"name":"Health","fields":[{"name":"value","type":"f32"}]},{"name":"Name","fields":[{"name":"text","type":"string"}]}],"resources":{"tick":12,"world_time":1.5,"seed":7,"custom":{}},"metadata":{"by":"test"},"archetypes":[["Health"],["Health","Name"]]}
        {"id":1,"Health":{"value":-3.25}}
        {"id":18446744073709551615,"Health":{"value":"nan:0x7fc00001"},"Name":{"text":"日本"}}

        """

    @Test("pack then unpack gives back the same lines")
    func packUnpack() throws {
        let scratch = try Scratch()
        try Self.jsonl.write(toFile: scratch.file("w.jsonl"), atomically: true, encoding: .utf8)
        let pack = try TickscopeProcess.run(["pack", scratch.file("w.jsonl"), "-o", scratch.file("w.tscp")])
        #expect(pack.status == 0, "\(pack.stderr)")
        let unpack = try TickscopeProcess.run(["unpack", scratch.file("w.tscp")])
        #expect(unpack.status == 0)
        let expected = Self.jsonl.replacingOccurrences(of: "{\"name\":\"Health\",\"fields\"", with: "{\"name\":\"Health\",\"version\":1,\"fields\"")
            .replacingOccurrences(of: "{\"name\":\"Name\",\"fields\"", with: "{\"name\":\"Name\",\"version\":1,\"fields\"")
        #expect(unpack.stdout == expected)
    }

    @Test("-o - is standard output for unpack (one world or a timeline) and export: no file named - is written")
    func dashIsStandardOutput() throws {
        let scratch = try Scratch()
        try Self.jsonl.write(toFile: scratch.file("w.jsonl"), atomically: true, encoding: .utf8)
        #expect(try TickscopeProcess.run(["pack", scratch.file("w.jsonl"), "-o", scratch.file("w.tscp")]).status == 0)
        #expect(try TickscopeProcess.run(["record", "ecosystem", scratch.file("store"), "--ticks", "2"]).status == 0)
        let plain = try TickscopeProcess.run(["unpack", scratch.file("w.tscp")]).stdout
        let timeline = try TickscopeProcess.run(["unpack", scratch.file("store")]).stdout
        #expect(plain.hasPrefix("{\"format\":\"tickscope-jsonl\"") && timeline.count > plain.count)
        for (arguments, expected) in [(["unpack", "w.tscp", "-o", "-"], plain), (["unpack", "store", "-o", "-"], timeline),
                                      (["export", "store", "--format", "jsonl", "-o", "-"], timeline)] {
            let result = try TickscopeProcess.run(arguments, in: scratch.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout == expected, "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: scratch.file("-")), "\(arguments) wrote a file named -")
        }
    }

    @Test("pack reads standard input and reports a bad line by number")
    func packErrors() throws {
        let scratch = try Scratch()
        let bad = Self.jsonl.replacingOccurrences(of: "-3.25", with: "\"oops\"")
        let result = try TickscopeProcess.run(["pack", "-", "-o", scratch.file("w.tscp")], stdin: Data(bad.utf8))
        #expect(result.status != 0)
        #expect(result.stderr == "Error: -: line 2: Health.value: \"oops\" is not a valid f32 value\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("w.tscp")))
        // A snapshot file given to pack is named as one, with the commands that take it.
        let snapshot = scratch.file("given.tscp")
        try Workload.swarm.snapshot(entities: 10).write(to: snapshot)
        let native = try TickscopeProcess.run(["pack", snapshot, "-o", scratch.file("w.tscp")])
        #expect(native.status == 1)
        #expect(native.stderr == "Error: \(snapshot): a Tickscope snapshot file already, not JSON Lines; repack rewrites one, unpack prints it as JSON Lines\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("w.tscp")))
    }

    @Test("verify exits 0 on a good file and 1 naming the file and first bad block")
    func verify() throws {
        let scratch = try Scratch()
        let path = scratch.file("swarm.tscp")
        try Workload.swarm.snapshot(entities: 1000).write(to: path, options: WriteOptions(codec: .lz4))
        let good = try TickscopeProcess.run(["verify", path])
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("\(path): ok, format 3, 8 blocks, sha256 "))
        let reader = try SnapshotReader(path: path)
        let block = reader.contents.archetypes[0].columnBlocks[4]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(block.offset) + 10] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let bad = try TickscopeProcess.run(["verify", path])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("Error: \(path): checksum mismatch in block 5 (Velocity.vy of archetype 0): expected "))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    @Test("inspect --json lists every block with sizes and checksum status")
    func inspectJSON() throws {
        let scratch = try Scratch()
        let path = scratch.file("ramp.tscp")
        try Workload.ramp.snapshot(entities: 500).write(to: path)
        let result = try TickscopeProcess.run(["inspect", path, "--json"])
        #expect(result.status == 0)
        let json = try JSONParser.parse(Array(result.stdout.utf8.dropLast()))
        #expect(json["format"] == .string("tickscope-snapshot"))
        guard case .array(let blocks)? = json["blocks"] else { Issue.record("no blocks"); return }
        #expect(blocks.count == 7)
        #expect(blocks[1]["column"] == .string("Position.x of archetype 0"))
        #expect(blocks[1]["raw_bytes"] == .number("2000"))
        #expect(blocks.allSatisfy { $0["checksum"] == .string("ok") })
        #expect(json["version"] == .string("3.0") && json["sha256_covers"] == .string("header and table of contents"))
        // Formats 2 and 3 keep each numeric column's bounds: the ramp's ids run 0…499.
        #expect(blocks[0]["statistics"]?["min"] == .number("0") && blocks[0]["statistics"]?["max"] == .number("499"))
    }

    @Test("repack --format-version 1 writes a file for readers of format 1; both versions verify and hold the same world")
    func formatVersions() throws {
        let scratch = try Scratch()
        let current = scratch.file("current.tscp"), old = scratch.file("old.tscp")
        try Workload.ramp.snapshot(entities: 300).write(to: current)
        let repacked = try TickscopeProcess.run(["repack", current, "-o", old, "--format-version", "1"])
        #expect(repacked.status == 0, "\(repacked.stderr)")
        let inspected = try JSONParser.parse(Array(try TickscopeProcess.run(["inspect", old, "--json"]).stdout.utf8.dropLast()))
        #expect(inspected["version"] == .string("1.0") && inspected["sha256_covers"] == .string("file"))
        #expect(try TickscopeProcess.run(["verify", old]).stdout.contains(": ok, format 1, "))
        #expect(try TickscopeProcess.run(["verify", current]).stdout.contains(": ok, format 3, "))
        let lines = try [current, old].map { try TickscopeProcess.run(["unpack", $0]).stdout }
        #expect(lines[0] == lines[1] && !lines[0].isEmpty)
        let bad = try TickscopeProcess.run(["repack", current, "-o", scratch.file("x.tscp"), "--format-version", "4"])
        #expect(bad.status != 0 && bad.stderr.contains("--format-version must be one of 1, 2, 3"), "\(bad.stderr)")
    }

    @Test("inspect on a missing or foreign file is one line and a non-zero exit", arguments: ["missing", "foreign"])
    func inspectBadFile(kind: String) throws {
        let scratch = try Scratch()
        let path = scratch.file("x.bin")
        if kind == "foreign" { try Data("PK\u{3}\u{4} not a snapshot".utf8).write(to: URL(fileURLWithPath: path)) }
        let result = try TickscopeProcess.run(["inspect", path])
        #expect(result.status != 0)
        let expected = kind == "missing"
            ? "Error: cannot open \(path): No such file or directory\n"
            : "Error: \(path): not a format tickscope reads (tried: Tickscope snapshot, tx2-pack, PECS, TKSN, XS)\n"
        #expect(result.stderr == expected)
    }

    @Test("key new writes a private key; repack encrypts; reading needs the key")
    func encryptionFlow() throws {
        let scratch = try Scratch()
        let key = scratch.file("k.key")
        let made = try TickscopeProcess.run(["key", "new", key])
        #expect(made.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        #expect(try TickscopeProcess.run(["key", "new", key]).status != 0, "refuses to overwrite")

        let plain = scratch.file("p.tscp"), secret = scratch.file("s.tscp"), back = scratch.file("b.tscp")
        try Workload.swarm.snapshot(entities: 300).write(to: plain)
        let repack = try TickscopeProcess.run(["repack", plain, "-o", secret, "--codec", "zstd:9", "--encrypt", "--key-file", key])
        #expect(repack.status == 0, "\(repack.stderr)")
        let noKey = try TickscopeProcess.run(["unpack", secret])
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("encrypted"))
        let viaEnv = try TickscopeProcess.run(["repack", secret, "-o", back, "--codec", "lz4"], environment: ["TICKSCOPE_KEY_FILE": key])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        #expect(try SnapshotReader(path: back).readSnapshot() == Workload.swarm.snapshot(entities: 300))
        let inspect = try TickscopeProcess.run(["inspect", secret])
        #expect(inspect.stdout.contains("encrypted (AES-256-GCM)"))
        #expect(inspect.stdout.contains("zstd:9"))
    }

    @Test("no command writes its output over its own input: convert, pack, unpack and export refuse, repack rewrites in place but never leaves an encrypted file in the clear")
    func outputOverInput() throws {
        let scratch = try Scratch()
        let key = scratch.file("k.key"), plain = scratch.file("p.tscp"), secret = scratch.file("s.tscp"), lines = scratch.file("w.jsonl")
        #expect(try TickscopeProcess.run(["key", "new", key]).status == 0)
        try Workload.swarm.snapshot(entities: 300).write(to: plain)
        #expect(try TickscopeProcess.run(["unpack", plain, "-o", lines]).status == 0)
        #expect(try TickscopeProcess.run(["repack", plain, "-o", secret, "--encrypt", "--key-file", key]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: scratch.file("link.tscp"), withDestinationPath: plain)
        let before = try [plain, secret, lines].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        for (arguments, output, input, command) in [
            (["convert", plain, plain, "--to", "pecs", "--lossy"], plain, plain, "convert"),
            (["convert", plain, scratch.path + "/./p.tscp", "--to", "tx2pack", "--lossy"], scratch.path + "/./p.tscp", plain, "convert"),
            (["unpack", plain, "-o", scratch.file("link.tscp")], scratch.file("link.tscp"), plain, "unpack"),
            (["pack", lines, "-o", lines], lines, lines, "pack"),
            (["export", plain, "--at", "0", "-o", plain], plain, plain, "export"),
        ] {
            let result = try TickscopeProcess.run(arguments)
            let named = output == input ? "" : " \(input)"
            #expect(result.status == 1 && result.stderr == "Error: \(output) is the input file\(named); \(command) writes a new file and keeps what it reads, so write the output elsewhere\n",
                    "\(arguments): \(result.stderr)")
        }
        let clear = try TickscopeProcess.run(["repack", secret, "-o", secret, "--key-file", key])
        #expect(clear.status == 1 && clear.stderr == "Error: \(secret) is encrypted, and repack without --encrypt writes the data in the clear; over its own file that would leave no encrypted copy (add --encrypt, or write to another file)\n", "\(clear.stderr)")
        #expect(try [plain, secret, lines].map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before, "every refusal left its input as it was")
        // In place, repack is a rewrite: the same world, now with lz4, and an encrypted file stays encrypted.
        #expect(try TickscopeProcess.run(["repack", plain, "-o", plain, "--codec", "lz4"]).status == 0)
        #expect(try TickscopeProcess.run(["inspect", plain]).stdout.contains("lz4"))
        #expect(try SnapshotReader(path: plain).readSnapshot() == Workload.swarm.snapshot(entities: 300))
        #expect(try TickscopeProcess.run(["repack", secret, "-o", secret, "--encrypt", "--codec", "lz4", "--key-file", key]).status == 0)
        #expect(try TickscopeProcess.run(["inspect", secret]).stdout.contains("encrypted (AES-256-GCM)"))
    }

    @Test("--encrypt without a key is refused before writing")
    func encryptNeedsKey() throws {
        let scratch = try Scratch()
        try Workload.ramp.snapshot(entities: 10).write(to: scratch.file("a.tscp"))
        let result = try TickscopeProcess.run(["repack", scratch.file("a.tscp"), "-o", scratch.file("b.tscp"), "--encrypt"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--encrypt needs a key"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("b.tscp")))
    }

    @Test("bench codec --json prints rows with exactly the documented keys")
    func benchJSON() throws {
        let result = try TickscopeProcess.run(["bench", "codec", "--entities", "2000", "--codec", "zstd:1", "--repeat", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONParser.parse(Array(result.stdout.utf8.dropLast()))
        guard case .array(let rows) = json, case .object(let members)? = rows.first else { Issue.record("not an array of objects"); return }
        #expect(members.map(\.0) == [
            "workload", "entities", "codec", "format", "raw_bytes", "stored_bytes", "write_ms", "read_ms", "open_ms", "column_ms",
            "verify_ms", "peak_rss_bytes", "plain_write_ms",
        ])
        #expect(rows[0]["raw_bytes"] == .number("72000"))
        #expect(rows[0]["format"] == .number("3"))
        let old = try TickscopeProcess.run(["bench", "codec", "--entities", "2000", "--codec", "none", "--repeat", "1", "--json", "--format", "1"])
        #expect(old.stdout.contains(#""format":1"#), "\(old.stderr)")
        let bad = try TickscopeProcess.run(["bench", "codec", "--format", "4"])
        #expect(bad.status != 0 && bad.stderr.contains("--format must be one of 1, 2, 3"), "\(bad.stderr)")
    }
}
