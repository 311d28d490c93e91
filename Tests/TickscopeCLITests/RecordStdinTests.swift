import Foundation
import Testing

/// `tickscope record --stdin`: recording from a program in any language that
/// can write to a pipe.
@Suite struct RecordStdinTests {
    static func exported(_ store: String, _ checkpoint: String, _ scratch: Scratch) throws -> Data {
        let file = scratch.file("\(UUID().uuidString).tscp")
        #expect(try TickscopeProcess.run(["export", store, "--at", checkpoint, "-o", file]).status == 0)
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    @Test("JSON Lines worlds on a pipe become the same checkpoints: every world exports to the very same bytes")
    func jsonLines() throws {
        let scratch = try Scratch()
        let original = try StoreIntegrityCommandTests.recordEcosystem(scratch, ticks: 6)
        let text = try TickscopeProcess.run(["export", original, "--format", "jsonl", "-o", "-"])
        #expect(text.status == 0 && text.stdout.hasPrefix("{\"format\":\"tickscope-jsonl\""))
        let copy = scratch.file("copy")
        let recorded = try TickscopeProcess.run(["record", "--stdin", copy], stdin: Data(text.stdout.utf8))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.split(separator: "\n").count == 7, "\(recorded.stdout)")
        for checkpoint in ["c1", "c4", "c7"] {
            #expect(try Self.exported(original, checkpoint, scratch) == Self.exported(copy, checkpoint, scratch), "\(checkpoint)")
        }
    }

    @Test("native frames: each committed as it arrives; a bad frame names its number and byte offset and commits nothing of itself")
    func nativeFrames() throws {
        let scratch = try Scratch()
        let original = try StoreIntegrityCommandTests.recordEcosystem(scratch, ticks: 4)
        var stream = Data()
        var offsets: [Int] = []
        for checkpoint in ["c1", "c3", "c5"] {
            let bytes = try Self.exported(original, checkpoint, scratch)
            offsets.append(stream.count)
            withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { stream.append(contentsOf: $0) }
            stream.append(bytes)
        }
        // Frame 4: a snapshot with one byte changed in its middle.
        var damaged = try Self.exported(original, "c2", scratch)
        damaged[damaged.count / 2] ^= 0x20
        let fourth = stream.count
        withUnsafeBytes(of: UInt64(damaged.count).littleEndian) { stream.append(contentsOf: $0) }
        stream.append(damaged)
        let copy = scratch.file("copy")
        let result = try TickscopeProcess.run(["record", "--stdin", copy, "--format", "native"], stdin: stream)
        #expect(result.status != 0)
        #expect(result.stderr.contains("standard input: frame 4 (from byte \(fourth)): "), "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        let log = try TickscopeProcess.run(["log", copy])
        #expect(log.stdout.contains("3 checkpoints"), "\(log.stdout)")
        #expect(try Self.exported(copy, "c3", scratch) == Self.exported(original, "c5", scratch))
        // A stream cut inside a frame's length is an error too, naming where.
        let cut = try TickscopeProcess.run(["record", "--stdin", scratch.file("cut"), "--format", "native"], stdin: stream.prefix(offsets[1] + 3))
        #expect(cut.stderr.contains("frame 2 (from byte \(offsets[1])): the stream ends inside the frame's 8-byte length"), "\(cut.stderr)")
    }

    @Test("a world splits where import splits it: at a line with a format member, not at a value that reads \"tickscope-jsonl\"")
    func headerRule() throws {
        let scratch = try Scratch()
        let schema = #""schema":[{"name":"Name","fields":[{"name":"text","type":"string"}]}]"#
        func world(_ tick: Int, key: String = "format") -> String {
            #"{"\#(key)":"tickscope-jsonl","version":1,\#(schema),"resources":{"tick":\#(tick)}}"# + "\n"
                + #"{"id":1,"Name":{"text":"tickscope-jsonl"}}"# + "\n"
                + #"{"id":2,"Name":{"text":"\"format\": \"tickscope-jsonl\""}}"# + "\n"
        }
        // The second world's header spells its key with an escape, as JSON allows.
        let text = world(3) + world(5, key: #"form\u0061t"#)
        let copy = scratch.file("copy")
        let recorded = try TickscopeProcess.run(["record", "--stdin", copy], stdin: Data(text.utf8))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let log = try TickscopeProcess.run(["log", copy])
        #expect(log.stdout.contains("2 checkpoints"), "\(log.stdout)")
        for (checkpoint, tick) in [("c1", 3), ("c2", 5)] {
            let lines = try TickscopeProcess.run(["export", copy, "--at", checkpoint, "--format", "jsonl", "-o", "-"]).stdout
                .split(separator: "\n")
            #expect(lines.count == 3, "\(checkpoint): \(lines)")
            #expect(lines.first?.contains(#""tick":\#(tick)"#) == true, "\(checkpoint): \(lines)")
            #expect(lines.dropFirst().map { $0.contains(#""id":1"#) || $0.contains(#""id":2"#) } == [true, true])
        }
    }

    @Test("a stream whose first frame is bad leaves no store behind; an unknown simulation name says what it takes")
    func nothingLeftBehind() throws {
        let scratch = try Scratch()
        let store = scratch.file("new")
        let bad = "{\"format\":\"tickscope-jsonl\",\"version\":1,\"schema\":[]}\n{\"id\":1,\"X\":{}}\n"
        let result = try TickscopeProcess.run(["record", "--stdin", store], stdin: Data(bad.utf8))
        #expect(result.status != 0)
        #expect(result.stderr.contains("frame 1 (from byte 0): line 2: unknown component \"X\""), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store))
        let typo = try TickscopeProcess.run(["record", "ecosystm", store])
        #expect(typo.status != 0 && typo.stderr.contains("'ecosystm' is not a simulation"))
    }
}

/// Every reading command takes what `open` takes.
@Suite struct ReadingCommandsTests {
    static let tx2Folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures/tx2pack/checkpoints-w3-annotated").path

    @Test("log, diff, export and verify read a tx2-pack CheckpointManager folder as open does; a store without its MANIFEST still names recover")
    func foreignFolder() throws {
        let scratch = try Scratch()
        let log = try TickscopeProcess.run(["log", Self.tx2Folder])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("21 checkpoints, 1 branch, read from"), "\(log.stdout)")
        let diff = try TickscopeProcess.run(["diff", Self.tx2Folder, "c1", "c2", "--json"])
        #expect(diff.status == 0 && diff.stdout.contains("\"changed\""), "\(diff.stderr)")
        #expect(try TickscopeProcess.run(["export", Self.tx2Folder, "--at", "c21", "-o", scratch.file("last.tscp")]).status == 0)
        #expect(try TickscopeProcess.run(["verify", scratch.file("last.tscp")]).status == 0)
        let verify = try TickscopeProcess.run(["verify", Self.tx2Folder])
        #expect(verify.status == 0 && verify.stdout.contains("21 worlds read and checked"), "\(verify.stdout)\(verify.stderr)")
        // The same commands on a store folder whose MANIFEST is gone keep pointing at recover.
        let store = try StoreIntegrityCommandTests.recordEcosystem(scratch, ticks: 2)
        try FileManager.default.removeItem(atPath: store + "/MANIFEST")
        for arguments in [["log", store], ["diff", store, "c1", "c2"], ["verify", store]] {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status != 0 && result.stderr.contains("tickscope recover"), "\(arguments): \(result.stderr)")
        }
    }
}
