import Foundation
import Testing

/// `tickscope query` as a user runs it.
@Suite struct QueryCommandTests {
    static let ecosystem = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleWorlds/ecosystem").path

    @Test("the first tick where Health.value < 0 names tick 100 and entity 265, as text, JSON and CSV")
    func ecosystemBug() throws {
        let text = try TickscopeProcess.run(["query", Self.ecosystem, "first tick where Health.value < 0"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == "branch  checkpoint  tick  entity  Health.value\nmain    c101        100   #265    -140.0\n1 row from 101 checkpoints; 100 archetypes passed over unread (block statistics rule them out)\n", "\(text.stdout)")
        let json = try TickscopeProcess.run(["query", Self.ecosystem, "first tick where Health.value < 0", "--json"])
        #expect(json.stdout == "[{\"branch\":\"main\",\"checkpoint\":\"c101\",\"tick\":100,\"entity\":265,\"values\":{\"Health.value\":-140.0}}]\n")
        let csv = try TickscopeProcess.run(["query", Self.ecosystem, "count(Health.value < 0) during 99..101", "--csv"])
        #expect(csv.stdout == "branch,checkpoint,tick,entity,count(Health.value < 0)\nmain,c100,99,,0\nmain,c101,100,,1\nmain,c102,101,,1\n", "\(csv.stdout)")
    }

    @Test("distribution(...) at one checkpoint prints its statistics and a histogram: the ecosystem's one -140 stands alone")
    func distribution() throws {
        let text = try TickscopeProcess.run(["query", Self.ecosystem, "distribution(Health.value) at 100"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "branch  checkpoint  tick  entity  count  nan  min     p25   median  p75   max   mean")
        #expect(lines[1].hasPrefix("main    c101        100   -       116    0    -140.0  40.0  40.0    40.0  80.0  37.586"), "\(lines[1])")
        #expect(lines[3] == "histogram" && lines.count == 14)
        #expect(lines[4].hasPrefix("-140.0 .. -118.0") && lines[4].hasSuffix("  1  #"), "\(lines[4])")
        #expect(lines[5].hasSuffix("  0"), "an empty bin has no bar: \(lines[5])")
        #expect(lines[12].hasSuffix(String(repeating: "#", count: 40)), "the fullest bin: \(lines[12])")
        let json = try TickscopeProcess.run(["query", Self.ecosystem, "distribution(Health.value) during 99..100", "--json"])
        #expect(json.stdout.contains("\"values\":{\"count\":111,\"nan\":0,\"min\":4.0,"), "\(json.stdout)")
    }

    @Test("mistakes are one-line errors naming the problem, with a non-zero exit")
    func errors() throws {
        for (query, message) in [("Health.valu < 0", "Health has no field valu; did you mean Health.value?"),
                                  ("Health.value == true", "Health.value is f32; it cannot be compared with true/false"),
                                  ("Health.value <", "column 15: expected a value")] {
            let result = try TickscopeProcess.run(["query", Self.ecosystem, query])
            #expect(result.status != 0)
            #expect(result.stderr == "Error: query: \(message)\n" || result.stderr.hasPrefix("Error: query: \(message)"), "\(query): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }
}

/// `tickscope diverge` as a user runs it.
@Suite struct DivergeCommandTests {
    @Test("two branches of one store: the fork's edited tick is the first difference, with the cell's two values")
    func forkedBranch() throws {
        let scratch = try Scratch()
        let store = try StoreIntegrityCommandTests.recordEcosystem(scratch, ticks: 12)
        #expect(try TickscopeProcess.run(["fork", store, "--at", "9", "--name", "fix", "--set", "265.Health.value=1000"]).status == 0)
        #expect(try TickscopeProcess.run(["record", "ecosystem", "--resume", store + "@fix", "--ticks", "3"]).status == 0)
        let text = try TickscopeProcess.run(["diverge", store + "@main", store + "@fix"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("first difference at tick 9 (after 9 equal ticks): \(store)@main c10 vs \(store)@fix c14\n"), "\(text.stdout)")
        #expect(text.stdout.contains("    #265 Health.value: 40.0 -> 1000.0"))
        let json = try TickscopeProcess.run(["diverge", store + "@main", store + "@fix", "--json"])
        #expect(json.stdout.contains("\"tick\":9,") && json.stdout.contains("\"changed\":[{\"entity\":265,\"component\":\"Health\",\"field\":\"value\",\"a\":40.0,\"b\":1000.0}]"),
                "\(json.stdout)")
        let same = try TickscopeProcess.run(["diverge", store, store + "@main"])
        #expect(same.stdout == "no difference: \(store)@main and \(store)@main hold the same worlds at all 13 ticks they both have\n", "\(same.stdout)")
    }

    @Test("two recordings in different stores and formats: compared tick by tick across them")
    func acrossRecordings() throws {
        let scratch = try Scratch()
        let one = try StoreIntegrityCommandTests.recordEcosystem(scratch, ticks: 4)
        let other = scratch.file("seed7")
        #expect(try TickscopeProcess.run(["record", "ecosystem", other, "--ticks", "4", "--seed", "7"]).status == 0)
        let result = try TickscopeProcess.run(["diverge", one, other, "--json"])
        #expect(result.status == 0 && result.stdout.contains("\"tick\":0,"), "\(result.stdout)\(result.stderr)")
        // A store against its own exported timeline, read as JSON Lines: the same worlds.
        #expect(try TickscopeProcess.run(["export", one, "--format", "jsonl", "-o", scratch.file("one.jsonl")]).status == 0)
        let exported = try TickscopeProcess.run(["diverge", one, scratch.file("one.jsonl")])
        #expect(exported.stdout.hasPrefix("no difference"), "\(exported.stdout)\(exported.stderr)")
    }
}

extension DivergeCommandTests {
    @Test("bench query prints its JSON keys and finds the tick where the second recording parts")
    func benchQuery() throws {
        let result = try TickscopeProcess.run(["bench", "query", "--entities", "500", "--ticks", "10", "--part-at", "4", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        for key in ["entities", "checkpoints", "scan_ms", "series_ms", "diverge_ms", "scan_rss_bytes", "snapshot_bytes"] {
            #expect(result.stdout.contains("\"\(key)\":"), "\(key)")
        }
        #expect(result.stdout.contains("\"diverge_tick\":4"), "\(result.stdout)")
    }
}
