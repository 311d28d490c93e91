import Foundation
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
        #expect(result.stderr == "Error: \(scratch.file("x.snap")): not a format tickscope reads (a Tickscope snapshot, a store folder, or a TKSN .snap file or folder)\n")
    }
}
