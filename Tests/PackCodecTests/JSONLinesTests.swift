import Interop
import PackCodec
import Testing

@Suite struct JSONLinesTests {
    static func lines(_ snapshot: Snapshot) -> [UInt8] {
        var text: [UInt8] = []
        JSONLines.encode(snapshot) { text += Array($0.utf8) + [10] }
        return text
    }

    static let header = #"{"format":"tickscope-jsonl","version":1,"schema":[{"name":"H","fields":[{"name":"v","type":"u8"}]},{"name":"T","fields":[]}]}"#

    @Test("a world of every type goes to JSON Lines and back exactly")
    func roundTrip() throws {
        let world = TestWorlds.everyType
        let text = Self.lines(world)
        let back = try JSONLines.decode(text)
        #expect(back == world)
        #expect(Self.lines(back) == text)
    }

    @Test("floats are written as the shortest exact decimal, NaN payloads by bits")
    func floatText() throws {
        let text = String(decoding: Self.lines(TestWorlds.everyType), as: UTF8.self)
        #expect(text.contains(#""f32":"nan:0x7fc00001""#))
        #expect(text.contains(#""f32":"-inf""#))
        #expect(text.contains(#""f32":-0.0"#))
        #expect(text.contains(#""u64":18446744073709551615"#))
        #expect(text.contains(#""f64":"nan:0xfff80000000000ff""#))
    }

    @Test("bad lines are reported with their number", arguments: [
        (#"{"id":1,"H":{"v":300}}"#, "line 2: invalid world: value 300 does not fit a column of u8"),
        (#"{"id":1,"X":{}}"#, "line 2: unknown component \"X\""),
        (#"{"id":1,"H":{}}"#, "line 2: entity 1 lacks H.v"),
        (#"{"id":1,"H":{"v":1,"w":2}}"#, "line 2: component H has no field \"w\""),
        (#"{"H":{"v":1}}"#, "line 2: entity lacks an \"id\""),
        (#"{"id":-1,"T":{}}"#, "line 2: id must be an unsigned integer"),
        (#"{"id":1,"T":{}"#, "line 2: column 15: unterminated object"),
    ])
    func badLine(line: String, message: String) {
        #expect(throws: InteropError.jsonLines(line: 2, reason: String(message.dropFirst(8)))) {
            try JSONLines.decode(Array((Self.header + "\n" + line + "\n").utf8))
        }
    }

    @Test("a repeated entity id is refused")
    func duplicateID() {
        let text = Self.header + "\n" + #"{"id":1,"T":{}}"# + "\n" + #"{"id":1,"H":{"v":2}}"# + "\n"
        #expect(throws: InteropError.world(.invalidWorld("entity 1 appears twice"))) { try JSONLines.decode(Array(text.utf8)) }
    }

    @Test("the header must come first and name the format")
    func badHeader() {
        #expect(throws: InteropError.self) { try JSONLines.decode(Array(#"{"id":1}"#.utf8)) }
        #expect(throws: InteropError.jsonLines(line: 1, reason: "no header line")) { try JSONLines.decode([]) }
    }

    @Test("nesting deeper than 64 levels is refused, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(deep.utf8)) }
    }
}
