import Foundation
import Interop
import PackCodec
import Timeline
import Testing

/// Foreign formats through the command line: told by content, opened,
/// inspected and converted.
@Suite struct ForeignFormatTests {
    static let tksn = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures/tksn").path

    @Test("inspect names TKSN (gzip) and its header, whatever the file is called")
    func inspect() throws {
        let scratch = try Scratch()
        try FileManager.default.copyItem(atPath: Self.tksn + "/w2int_3d_n1000_tick5000.gz.snap", toPath: scratch.file("world.tscp"))
        let result = try TickscopeProcess.run(["inspect", scratch.file("world.tscp")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "format: TKSN (gzip)\nversion: 1\ntick: 5000\nentities: 1000\ndimensions: 3\nentity ids: none stored: numbered by record\n")
    }

    @Test("open shows a TKSN folder as a timeline ordered by the headers' ticks")
    func openFolder() throws {
        let result = try TickscopeProcess.run(["open", Self.tksn + "/seq_gzip", "--print", "--size", "120x10", "--keys", "l"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("c2 tick 100") && result.stdout.contains("[2/11]"))
        #expect(result.stdout.contains("Position.x"))
    }

    @Test("TKSN to native and back gives the Java writer's bytes; a world TKSN cannot hold is refused, then converted with --lossy")
    func convert() throws {
        let scratch = try Scratch()
        let original = Self.tksn + "/w2int_3d_n1000_tick5000.snap"
        #expect(try TickscopeProcess.run(["convert", original, scratch.file("w.tscp"), "--to", "native"]).status == 0)
        #expect(try TickscopeProcess.run(["convert", scratch.file("w.tscp"), scratch.file("w.snap"), "--to", "tksn"]).status == 0)
        #expect(FileManager.default.contents(atPath: scratch.file("w.snap")) == FileManager.default.contents(atPath: original))
        let swarm = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleWorlds/swarm-1000.tscp").path
        let refused = try TickscopeProcess.run(["convert", swarm, scratch.file("s.snap"), "--to", "tksn"])
        #expect(refused.status != 0 && refused.stderr.contains("would drop") && refused.stderr.contains("--lossy"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("s.snap")))
        #expect(try TickscopeProcess.run(["convert", swarm, scratch.file("s.snap"), "--to", "tksn", "--lossy"]).status == 0)
        let inspect = try TickscopeProcess.run(["inspect", scratch.file("s.snap")])
        #expect(inspect.stdout.contains("entities: 0"), "no entity of the swarm has TKSN's five components")
        let jsonl = try TickscopeProcess.run(["convert", original, scratch.file("w.jsonl"), "--to", "jsonl"])
        #expect(jsonl.status == 0)
        let back = try TickscopeProcess.run(["pack", scratch.file("w.jsonl"), "-o", scratch.file("w2.tscp")])
        #expect(back.status == 0, "\(back.stderr)")
    }

    @Test("a file in no known format is one clear line and exit 1")
    func unknown() throws {
        let scratch = try Scratch()
        try Data("hello".utf8).write(to: URL(fileURLWithPath: scratch.file("x.snap")))
        let result = try TickscopeProcess.run(["open", scratch.file("x.snap"), "--print"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(scratch.file("x.snap")): not a format tickscope reads (a Tickscope snapshot, a store folder, tx2-pack, PECS, a TKSN .snap file or folder, or JSON Lines)\n")
    }
}

/// XS packages through the command line.
@Suite struct XSCommandTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures/xs/xs-09df1d3-nomagic.xs").path
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleWorlds/ecosystem").path

    @Test("xs list and extract the engine's package: every file with its original bytes")
    func listAndExtract() throws {
        let scratch = try Scratch()
        let list = try TickscopeProcess.run(["xs", "list", Self.fixture])
        #expect(list.status == 0 && list.stdout.split(separator: "\n").count == 15)
        #expect(list.stdout.contains("zlib           36         47  [game]/text/naïve-名前.txt"))
        let inspect = try TickscopeProcess.run(["inspect", Self.fixture])
        #expect(inspect.stdout == "format: XS package\nlayout: first (no magic)\nentries: 14\ncompressed: 9\ndata section: at 791\nbundled store: no\n")
        #expect(try TickscopeProcess.run(["xs", "extract", Self.fixture, scratch.file("out")]).status == 0)
        let package = try XSPackage(path: Self.fixture)
        for entry in package.entries {
            #expect(FileManager.default.contents(atPath: scratch.file("out/" + entry.path)) == Data(try package.contents(of: entry)), "\(entry.path)")
        }
    }

    @Test("bundle a store, open the package directly, unbundle it into a store that verifies")
    func bundle() throws {
        let scratch = try Scratch()
        #expect(try TickscopeProcess.run(["bundle", Self.sample, scratch.file("eco.xs")]).status == 0)
        let open = try TickscopeProcess.run(["open", scratch.file("eco.xs"), "--print", "--at", "100", "--size", "100x8"])
        #expect(open.status == 0 && open.stdout.contains("c101 tick 100"), "\(open.stderr)")
        #expect(try TickscopeProcess.run(["unbundle", scratch.file("eco.xs"), scratch.file("eco")]).status == 0)
        let verify = try TickscopeProcess.run(["verify", scratch.file("eco")])
        #expect(verify.status == 0 && verify.stdout.contains("201 checkpoints"))
        let again = try TickscopeProcess.run(["unbundle", scratch.file("eco.xs"), scratch.file("eco")])
        #expect(again.status != 0 && again.stderr.contains("File exists"), "never over an existing file")
    }

    @Test("convert --to xs packs the native file; open and convert read it back")
    func convertToXS() throws {
        let scratch = try Scratch()
        let swarm = Self.sample.replacingOccurrences(of: "/ecosystem", with: "/swarm-1000.tscp")
        #expect(try TickscopeProcess.run(["convert", swarm, scratch.file("w.xs"), "--to", "xs"]).status == 0)
        let list = try TickscopeProcess.run(["xs", "list", scratch.file("w.xs")])
        #expect(list.stdout.contains("[snapshot]/w.tscp"))
        #expect(try TickscopeProcess.run(["convert", scratch.file("w.xs"), scratch.file("a.tscp"), "--to", "native"]).status == 0)
        #expect(try TickscopeProcess.run(["convert", swarm, scratch.file("b.tscp"), "--to", "native"]).status == 0)
        #expect(FileManager.default.contents(atPath: scratch.file("a.tscp")) == FileManager.default.contents(atPath: scratch.file("b.tscp")))
    }

    @Test("a failed extraction takes back every file and folder it made, and leaves what was there before")
    func failedExtractionLeavesNothing() throws {
        let scratch = try Scratch()
        var bytes = XSPackage.encode([(path: "a.txt", contents: Array("fine".utf8), compress: false),
                                      (path: "sub/deeper/b.bin", contents: [UInt8](repeating: 7, count: 300_000), compress: true)])
        // b.bin declares one byte more than it holds.
        let name = Array("sub/deeper/b.bin".utf8)
        let at = (0..<bytes.count - name.count).first { Array(bytes[$0..<$0 + name.count]) == name }! + name.count
        withUnsafeBytes(of: UInt64(300_001).littleEndian) { bytes.replaceSubrange(at..<at + 8, with: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.file("bad.xs")))
        let fresh = try TickscopeProcess.run(["xs", "extract", scratch.file("bad.xs"), scratch.file("out")])
        #expect(fresh.status != 0)
        #expect(fresh.stderr.contains("sub/deeper/b.bin: inflates to 300000 bytes, not the declared 300001"), "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out")), "the folder it made is taken back")
        try FileManager.default.createDirectory(atPath: scratch.file("mine"), withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: scratch.file("mine/notes.txt")))
        #expect(try TickscopeProcess.run(["xs", "extract", scratch.file("bad.xs"), scratch.file("mine")]).status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.file("mine")) == ["notes.txt"])
    }

    @Test("an entry named to escape the folder is refused before anything is written")
    func refusesEscapes() throws {
        let scratch = try Scratch()
        let bytes = XSPackage.encode([(path: "ok.txt", contents: Array("fine".utf8), compress: false), (path: "../escape.txt", contents: Array("bad".utf8), compress: true)])
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.file("evil.xs")))
        let result = try TickscopeProcess.run(["xs", "extract", scratch.file("evil.xs"), scratch.file("out")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("entry \"../escape.txt\" refused: a .. in the path"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("out/ok.txt")) && !FileManager.default.fileExists(atPath: scratch.file("escape.txt")))
    }
}

/// tx2-pack files and folders through the command line.
@Suite struct TX2PackCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures/tx2pack").path

    /// The fixture's hex key as a raw 32-byte key file, mode 0600.
    static func keyFile(_ scratch: Scratch) throws -> String {
        let hex = try String(contentsOfFile: fixtures + "/files/w2-n1000-none-aes256gcm.key.hex", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let bytes = try #require([UInt8](hex: hex))
        let path = scratch.file("tx2.key")
        try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
        return path
    }

    @Test("inspect names tx2-pack, its codec and its checked SHA-256; an encrypted file needs a key, then opens with it")
    func inspectAndKey() throws {
        let scratch = try Scratch()
        let lz4 = try TickscopeProcess.run(["inspect", Self.fixtures + "/files/w2-n1000-lz4.tx2pack"])
        #expect(lz4.status == 0 && lz4.stdout.hasPrefix("format: tx2-pack\nversion: 1\npayload: bincode\ncompression: lz4\nencrypted: no\n"))
        let encrypted = Self.fixtures + "/files/w2-n1000-none-aes256gcm.tx2pack"
        let locked = try TickscopeProcess.run(["open", encrypted, "--print"])
        #expect(locked.status != 0 && locked.stderr.contains("a key is needed"))
        let opened = try TickscopeProcess.run(["open", encrypted, "--print", "--key-file", Self.keyFile(scratch)])
        #expect(opened.status == 0 && opened.stdout.contains("0.74156487"), "\(opened.stderr)")
    }

    @Test("a CheckpointManager folder opens as a timeline in world-time order, with names and ticks from the metadata")
    func folder() throws {
        let result = try TickscopeProcess.run(["open", Self.fixtures + "/checkpoints-w3-annotated", "--print", "--size", "140x8", "--keys", "G"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("c21 tick 20  time 20.0  [21/21]"))
        #expect(result.stdout.contains("vs c20: 0 spawned, 0 despawned, 0 moved in, 0 out, 310 cells"))
    }

    @Test("native to tx2-pack in each codec and encrypted, and back, keeps the world; tx2-pack cannot hold a seed without --lossy")
    func convert() throws {
        let scratch = try Scratch()
        let source = Self.fixtures + "/files/w2-n1000-zstd3.tx2pack"
        #expect(try TickscopeProcess.run(["convert", source, scratch.file("w.tscp"), "--to", "native"]).status == 0)
        let key = try Self.keyFile(scratch)
        for codec in ["none", "zstd", "lz4"] {
            let out = scratch.file("w-\(codec).tx2pack")
            let made = try TickscopeProcess.run(["convert", scratch.file("w.tscp"), out, "--to", "tx2pack", "--codec", codec, "--encrypt", "--key-file", key])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(try TickscopeProcess.run(["convert", out, scratch.file("back-\(codec).tscp"), "--to", "native", "--key-file", key]).status == 0)
            #expect(FileManager.default.contents(atPath: scratch.file("back-\(codec).tscp")) == FileManager.default.contents(atPath: scratch.file("w.tscp")))
        }
        let swarm = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleWorlds/swarm-1000.tscp").path
        let refused = try TickscopeProcess.run(["convert", swarm, scratch.file("s.tx2pack"), "--to", "tx2pack"])
        #expect(refused.status != 0 && refused.stderr.contains("seed"), "\(refused.stderr)")
        #expect(try TickscopeProcess.run(["convert", swarm, scratch.file("s.tx2pack"), "--to", "tx2pack", "--lossy"]).status == 0)
    }
}

/// PECS files through the command line.
@Suite struct PECSCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures/pecs").path

    @Test("inspect names the layout and the registry; a schema file turns component bytes into fields")
    func inspectAndSchema() throws {
        let scratch = try Scratch()
        let inspect = try TickscopeProcess.run(["inspect", Self.fixtures + "/small_archetypes_with_registry.pecs"])
        #expect(inspect.status == 0 && inspect.stdout.contains("format: PECS (the crate's layout)") && inspect.stdout.contains("type Health: id 0000000000000000e99b0151a81f7959, version 2"))
        try "Position = x:f32 y:f32 z:f32\n".write(toFile: scratch.file("schema"), atomically: true, encoding: .utf8)
        let open = try TickscopeProcess.run(["open", Self.fixtures + "/synthetic_component_record.pecs", "--schema", scratch.file("schema"), "--print", "--size", "100x6"])
        #expect(open.status == 0 && open.stdout.contains("Position.x") && open.stdout.contains("3.0"), "\(open.stderr)")
        try "Position = x:f33\n".write(toFile: scratch.file("bad"), atomically: true, encoding: .utf8)
        let bad = try TickscopeProcess.run(["open", Self.fixtures + "/synthetic_component_record.pecs", "--schema", scratch.file("bad"), "--print"])
        #expect(bad.status != 0 && bad.stderr.contains("\(scratch.file("bad")):1: \"x:f33\" is not field:type"))
    }

    @Test("convert a PECS file to the ADR-007 layout and back to the crate's: the crate's bytes again")
    func convert() throws {
        let scratch = try Scratch()
        let original = Self.fixtures + "/w2_n1000.pecs"
        #expect(try TickscopeProcess.run(["convert", original, scratch.file("w.tscp"), "--to", "native"]).status == 0)
        #expect(try TickscopeProcess.run(["convert", scratch.file("w.tscp"), scratch.file("adr.pecs"), "--to", "pecs", "--pecs-layout", "adr007"]).status == 0)
        let adr = try TickscopeProcess.run(["inspect", scratch.file("adr.pecs")])
        #expect(adr.stdout.contains("format: PECS (ADR-007 layout)"))
        #expect(try TickscopeProcess.run(["convert", scratch.file("adr.pecs"), scratch.file("crate.pecs"), "--to", "pecs"]).status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: scratch.file("crate.pecs")))
        #expect(bytes.count == 20_032)
    }
}

/// Whole timelines as JSON Lines.
@Suite struct JSONLinesTimelineTests {
    @Test("export --format jsonl writes every checkpoint of a timeline; import reads it back into equal checkpoints with their names")
    func roundTrip() throws {
        let scratch = try Scratch()
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleWorlds/boids").path
        #expect(try TickscopeProcess.run(["export", sample, "--format", "jsonl", "-o", scratch.file("t.jsonl")]).status == 0)
        let imported = try TickscopeProcess.run(["import", scratch.file("copy"), scratch.file("t.jsonl"), "--format", "jsonl"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let original = try CheckpointStore.open(sample), copy = try CheckpointStore.open(scratch.file("copy"))
        let timeline = try original.timeline(of: "main"), copied = try copy.timeline(of: "main")
        #expect(copied.count == timeline.count && copied.count > 1)
        for (a, b) in zip(timeline, copied) {
            #expect(try original.snapshot(a.id) == copy.snapshot(b.id), "\(a.id)")
            #expect(a.info == b.info && a.tick == b.tick)
        }
        let pack = try TickscopeProcess.run(["pack", scratch.file("t.jsonl"), "-o", scratch.file("x.tscp")])
        #expect(pack.status != 0 && pack.stderr.contains("a second header: this is a timeline"))
    }

    @Test("a bad line anywhere in a timeline commits nothing")
    func atomic() throws {
        let scratch = try Scratch()
        let header = #"{"format":"tickscope-jsonl","version":1,"schema":[{"name":"A","fields":[{"name":"v","type":"u8"}]}],"checkpoint":{"name":"first"}}"#
        let text = header + "\n" + #"{"id":1,"A":{"v":1}}"# + "\n" + header + "\n" + #"{"id":1,"A":{"v":300}}"# + "\n"
        try text.write(toFile: scratch.file("bad.jsonl"), atomically: true, encoding: .utf8)
        let result = try TickscopeProcess.run(["import", scratch.file("store"), scratch.file("bad.jsonl"), "--format", "jsonl"])
        #expect(result.status != 0 && result.stderr.contains("line 4"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("store/MANIFEST")))
    }
}
