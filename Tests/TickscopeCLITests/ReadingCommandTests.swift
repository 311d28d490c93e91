import Foundation
import Interop
import PackCodec
import Testing
import Timeline

/// Every reading command takes what `open` takes: a store, a snapshot
/// file, tx2-pack files and folders, PECS, TKSN files and tick series, JSON
/// Lines timelines. What they read is the same worlds: the JSON Lines that
/// `unpack` and `convert --to jsonl` write reopen as the timeline `log` lists.
@Suite struct ReadingCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropTests/Fixtures").path
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Inputs of every kind, with how many worlds each holds.
    static let inputs: [(path: String, worlds: Int)] = [
        (root + "/SampleWorlds/boids", 76),
        (root + "/SampleWorlds/swarm-1000.tscp", 1),
        (fixtures + "/tx2pack/store", 3),
        (fixtures + "/tx2pack/checkpoints-w3-annotated", 21),
        (fixtures + "/tx2pack/files/w2-n1000-lz4.tx2pack", 1),
        (fixtures + "/pecs/w2_n1000.pecs", 1),
        (fixtures + "/tksn/w2int_3d_n1000_tick5000.gz.snap", 1),
        (fixtures + "/tksn/seq_gzip", 11),
    ]

    @Test("log, diff, export, verify, inspect, open, convert --to jsonl and unpack all read it", arguments: inputs.indices)
    func everyCommand(index: Int) throws {
        let (input, worlds) = Self.inputs[index]
        let scratch = try Scratch()
        let last = "c\(worlds)"
        let runs: [[String]] = [
            ["log", input], ["diff", input, "c1", last], ["export", input, "--at", last, "-o", scratch.file("one.tscp")],
            ["verify", input], ["inspect", input], ["open", input, "--print", "--size", "80x12"],
            ["convert", input, scratch.file("converted.jsonl"), "--to", "jsonl"], ["unpack", input, "-o", scratch.file("unpacked.jsonl")],
        ]
        for arguments in runs {
            let result = try TickscopeProcess.run(arguments)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        // What unpack and convert wrote reopens as the same number of worlds, with the same last world.
        let reference = try TickscopeProcess.run(["export", input, "--at", last, "--format", "jsonl", "-o", "-"])
        for written in ["converted.jsonl", "unpacked.jsonl"] {
            let log = try TickscopeProcess.run(["log", scratch.file(written)])
            #expect(log.stdout.contains("\(worlds) checkpoint\(worlds == 1 ? "" : "s"), "), "\(written) of \(input): \(log.stdout.suffix(200))")
            let again = try TickscopeProcess.run(["export", scratch.file(written), "--at", last, "--format", "jsonl", "-o", "-"])
            #expect(Self.worldLines(again.stdout) == Self.worldLines(reference.stdout), "\(written) of \(input)")
        }
    }

    /// A JSON Lines world without its checkpoint line's ids (a re-import numbers checkpoints afresh).
    static func worldLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").map { line in
            guard let range = line.range(of: "\"checkpoint\":{") else { return line }
            return line[..<range.lowerBound]
        }
    }
}
