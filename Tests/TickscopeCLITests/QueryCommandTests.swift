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
        #expect(text.stdout == "branch  checkpoint  tick  entity  Health.value\nmain    c101        100   #265    -140.0\n1 row from 101 checkpoints\n", "\(text.stdout)")
        let json = try TickscopeProcess.run(["query", Self.ecosystem, "first tick where Health.value < 0", "--json"])
        #expect(json.stdout == "[{\"branch\":\"main\",\"checkpoint\":\"c101\",\"tick\":100,\"entity\":265,\"values\":{\"Health.value\":-140.0}}]\n")
        let csv = try TickscopeProcess.run(["query", Self.ecosystem, "count(Health.value < 0) during 99..101", "--csv"])
        #expect(csv.stdout == "branch,checkpoint,tick,entity,count(Health.value < 0)\nmain,c100,99,,0\nmain,c101,100,,1\nmain,c102,101,,1\n", "\(csv.stdout)")
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
