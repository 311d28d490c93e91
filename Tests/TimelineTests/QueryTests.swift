import Foundation
import PackCodec
import Testing
@testable import Timeline

/// The query language (docs/QUERY.md): what it parses, what it refuses
/// before running, and what it finds, checked against a plain loop over
/// the same worlds.
@Suite struct QueryTests {
    @Test("the grammar: precedence, functions, literals, forms and clauses", arguments: [
        ("a.b + 2 * c.d < 3 || !has(X) && id == 5", "((a.b + (2 * c.d)) < 3) || (!has(X) && (id == 5))"),
        ("-(a.b - 1) / 2 >= abs(c.d)", "(-(a.b - 1) / 2) >= abs(c.d)"),
        ("min(a.b, 1) != max(c.d, nan)", "min(a.b, 1) != max(c.d, nan)"),
        ("changed(H.v) && changes(H.v) > 2", "changed(H.v) && (changes(H.v) > 2)"),
        ("S.name == \"a \\\"b\\\"\"", "S.name == \"a \"b\"\""),
        // The words and, or, not are &&, ||, ! (and.x is still a component's field).
        ("a.b < 3 or not has(X) and id == 5", "(a.b < 3) || (!has(X) && (id == 5))"),
        ("not and.x > 1", "!(and.x > 1)"),
    ])
    func grammar(text: String, printed: String) throws {
        guard case .rows(let expression) = try Query.parse(text).form else { Issue.record("not a row query"); return }
        #expect(expression.description == printed)
    }

    @Test("distribution: count, NaNs, minimum, quartiles (numpy's linear), maximum, mean, and a histogram, checked against a plain computation")
    func distributionStatistics() throws {
        let spread = Distribution([40, 40, 8, -140, .nan, 80])
        #expect(spread.count == 5 && spread.nanCount == 1 && spread.minimum == -140 && spread.maximum == 80)
        #expect(spread.median == 40 && spread.quantile(0.25) == 8 && spread.quantile(0.75) == 40 && spread.mean == 28.0 / 5)
        #expect(spread.histogram(bins: 2, over: -140...80) == [1, 4], "the last bin holds its upper end")
        #expect(Distribution([1, 2, 3, 4]).quantile(0.5) == 2.5 && Distribution([1, 2, 3, 4]).quantile(0.25) == 1.75)
        #expect(Distribution([]).median == nil && Distribution([]).statistics[2].isNaN)
        #expect(Distribution([-.infinity, 1, .infinity]).histogram(bins: 3, over: 1...1) == [1, 0, 0], "infinities are left out of bins")
        // Against the random store: each checkpoint's statistics from a plain loop.
        let (directory, worlds) = try Self.randomStore(seed: 5)
        let result = try CheckpointStore.open(directory.path).run(try Query.parse("distribution(Body.x) where Body.alive"))
        #expect(result.valueNames == ["count", "nan", "min", "p25", "median", "p75", "max", "mean"])
        #expect(result.rows.count == worlds.count && result.distributions.count == worlds.count)
        for (row, world) in zip(result.rows, worlds) {
            var values: [Double] = []
            for a in world.archetypes {
                guard let alive = a.column(component: "Body", field: "alive") else { continue }
                for r in a.entities.indices where alive.value(at: r) == .bool(true) { values.append(Self.float(a, "Body", "x", r)!) }
            }
            let plain = values.filter { !$0.isNaN }.sorted()
            #expect(row.values[0] == .count(plain.count) && row.values[1] == .count(values.count - plain.count))
            if let low = plain.first {
                #expect(row.values[2] == .number(low) && row.values[6] == .number(plain.last!))
                #expect(row.values[7] == .number(plain.reduce(0, +) / Double(plain.count)))
            }
        }
    }

    @Test("forms and clauses")
    func forms() throws {
        let first = try Query.parse("first tick where H.v < 0 during 10..20 on fork-99")
        #expect(first.form == .firstTick(.binary(.less, .field(component: "H", field: "v"), .number(0, text: "0"))))
        #expect(first.ticks == 10...20 && first.branch == "fork-99")
        let series = try Query.parse("mean(H.v * 2) where has(P) at main@120")
        guard case .aggregate(.mean, _, let condition?) = series.form else { Issue.record("\(series.form)"); return }
        #expect(condition == .has(component: "P") && series.at == "main@120")
        #expect(try Query.parse("count(H.v < 0)").form == .aggregate(.count, .binary(.less, .field(component: "H", field: "v"), .number(0, text: "0")), where: nil))
        // min and max with two arguments are functions of a row, not aggregates.
        guard case .rows = try Query.parse("max(H.v, 2) > 1").form else { Issue.record("max(a, b) became an aggregate"); return }
    }

    @Test("syntax errors name the column", arguments: [
        ("H.v <", "column 6: expected a value"), ("H.v = 1", "column 5: = is not an operator; compare with =="),
        ("a.b < 1 < 2", "comparisons do not chain"), ("H.v < 0 during 5..2", "is empty"), ("H.v & x", "use &&"),
        ("sqrt(1, 2) > 0", "sqrt takes 1 argument, not 2"), ("count(H.v < 0) where H.v > 1", "count takes its condition inside"),
        ("H.v < 0 sometimes", "a query ends with during A..B, at CHECKPOINT or on BRANCH"), ("\"open", "not closed"),
    ])
    func syntaxErrors(text: String, message: String) {
        #expect(throws: QueryError.self) { try Query.parse(text) }
        do { _ = try Query.parse(text) } catch { #expect(error.message.contains(message), "\(text): \(error.message)") }
    }

    /// A store of random worlds: Body {x f32, mass f64, alive bool}, Name {text string}, Score {points i64}, Counter {n u32}.
    static func randomStore(seed: UInt64, checkpoints: Int = 12) throws -> (StoreDirectory, [Snapshot]) {
        var random = SeededGenerator(seed: seed)
        let body = ComponentType(name: "Body", fields: [Field("x", .float32), Field("mass", .float64), Field("alive", .bool)])
        let name = ComponentType(name: "Name", fields: [Field("text", .string)])
        let score = ComponentType(name: "Score", fields: [Field("points", .int64), Field("n", .uint32)])
        let schema = Schema(components: [body, name, score])
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        var worlds: [Snapshot] = []
        var xs = (0..<40).map { _ in Float(Int.random(in: -50...50, using: &random)) / 4 }
        for tick in 0..<checkpoints {
            // Some values change each tick; some are special.
            for index in xs.indices where Int.random(in: 0..<4, using: &random) == 0 { xs[index] = Float(Int.random(in: -50...50, using: &random)) / 4 }
            if tick == 5 { xs[3] = .nan }
            let ids = (0..<40 as Range<UInt64>).map { EntityID($0 * 3 + 1) }
            let split = 25
            let world = Snapshot(schema: schema, archetypes: [
                Archetype(components: [body, score], entities: Array(ids[..<split]), columns: [
                    Column(Array(xs[..<split])), Column((0..<split).map { Double($0) * 0.5 }), Column((0..<split).map { ($0 + tick) % 3 == 0 }),
                    Column((0..<split).map { Int64($0) - 12 + Int64(tick) }), Column((0..<split).map { UInt32($0 * 1_000_000) }),
                ]),
                Archetype(components: [body, name], entities: Array(ids[split...]), columns: [
                    Column(Array(xs[split...])), Column((split..<40).map { Double($0) }), Column((split..<40).map { $0 % 2 == 0 }),
                    Column(strings: (split..<40).map { ["ant", "bee", "cat"][($0 + tick) % 3] }),
                ]),
            ], resources: Resources(tick: UInt64(tick * 10)))
            try store.commit(world)
            worlds.append(world)
        }
        return (directory, worlds)
    }

    /// Every (tick, entity) where `predicate` holds for the entity's row, by a plain loop.
    static func bruteForce(_ worlds: [Snapshot], _ predicate: (Archetype, Int, Int) -> Bool) -> [String] {
        var found: [String] = []
        for (index, world) in worlds.enumerated() {
            for archetype in world.archetypes {
                for row in archetype.entities.indices where predicate(archetype, row, index) {
                    found.append("\(world.resources.tick):\(archetype.entities[row].rawValue)")
                }
            }
        }
        return found
    }

    static func float(_ archetype: Archetype, _ component: String, _ field: String, _ row: Int) -> Double? {
        guard let index = archetype.columnIndex(component: component, field: field) else { return nil }
        switch archetype.columns[index].value(at: row) {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        default: return nil
        }
    }

    @Test("row queries find exactly what a plain loop over the worlds finds", arguments: 0..<4 as Range<UInt64>)
    func againstBruteForce(seed: UInt64) throws {
        let (directory, worlds) = try Self.randomStore(seed: seed)
        let store = try CheckpointStore.open(directory.path)
        let cases: [(String, (Archetype, Int, Int) -> Bool)] = [
            ("Body.x < 0", { a, r, _ in (Self.float(a, "Body", "x", r) ?? .nan) < 0 }),
            ("Body.x * 2 + Body.mass >= 3 && Body.alive", { a, r, _ in
                (Self.float(a, "Body", "x", r)! * 2 + Self.float(a, "Body", "mass", r)! >= 3) && a.columns[2].value(at: r) == .bool(true) }),
            ("!(Body.x > 1) || has(Name)", { a, r, _ in !((Self.float(a, "Body", "x", r) ?? .nan) > 1) || a.components.contains { $0.name == "Name" } }),
            ("Body.x == nan", { a, r, _ in Self.float(a, "Body", "x", r)!.isNaN }),
            ("Score.points > -3 && Score.n <= 4000000", { a, r, _ in
                guard let p = Self.float(a, "Score", "points", r), let n = Self.float(a, "Score", "n", r) else { return false }
                return p > -3 && n <= 4_000_000 }),
            ("Name.text == \"bee\" || Name.text > \"bz\"", { a, r, _ in
                guard let i = a.columnIndex(component: "Name", field: "text"), case .string(let s) = a.columns[i].value(at: r) else { return false }
                return s == "bee" || Array(s.utf8).lexicographicallyPrecedes(Array("bz".utf8)) == false && s != "bz" }),
            ("id % 1 == 0 || abs(Body.x) >= 10", { a, r, _ in abs(Self.float(a, "Body", "x", r)!) >= 10 }),
            ("min(Body.x, Body.mass) < sqrt(id)", { a, r, _ in
                Swift.min(Self.float(a, "Body", "x", r)!, Self.float(a, "Body", "mass", r)!) < Double(a.entities[r].rawValue).squareRoot() }),
            // Conditions that block statistics decide for whole archetypes: answers must not change.
            ("Body.x > 12", { a, r, _ in (Self.float(a, "Body", "x", r) ?? .nan) > 12 }),
            ("-5 > Body.x", { a, r, _ in -5 > (Self.float(a, "Body", "x", r) ?? .nan) }),
            ("Score.points >= 20", { a, r, _ in (Self.float(a, "Score", "points", r) ?? -.infinity) >= 20 }),
            ("id == 4 || Body.mass > 38.5", { a, r, _ in a.entities[r].rawValue == 4 || Self.float(a, "Body", "mass", r)! > 38.5 }),
            ("Score.n == 3000000 && Body.x != nan", { a, r, _ in
                Self.float(a, "Score", "n", r) == 3_000_000 && !Self.float(a, "Body", "x", r)!.isNaN }),
        ]
        for (text, predicate) in cases where !text.contains("%") {
            let result = try store.run(try Query.parse(text))
            #expect(result.rows.map { "\($0.tick):\($0.entity!.rawValue)" } == Self.bruteForce(worlds, predicate), "\(text)")
        }
        // changed(): the value differs from the checkpoint before (bit for bit, so NaN to NaN is no change).
        let changed = try store.run(try Query.parse("changed(Body.x)"))
        let expected = Self.bruteForce(worlds) { a, r, index in
            guard index > 0 else { return false }
            let before = worlds[index - 1].archetypes.first { $0.entities.contains(a.entities[r]) }!
            let row = before.entities.firstIndex(of: a.entities[r])!
            return before.columns[0].value(at: row) != a.columns[0].value(at: r)
        }
        #expect(changed.rows.map { "\($0.tick):\($0.entity!.rawValue)" } == expected)
        // changes(): per entity, the checkpoints in range where changed() holds (the first compares with
        // the checkpoint before the range), shown at the range's last checkpoint.
        let counts = try store.run(try Query.parse("changes(Body.x) >= 0 during 20..80"))
        #expect(counts.rows.allSatisfy { $0.tick == 80 } && counts.rows.count == 40)
        let inRange = Array(worlds[1...8])
        for row in counts.rows {
            var n = 0
            for (before, after) in zip(inRange, inRange.dropFirst()) {
                func value(_ world: Snapshot) -> FieldValue {
                    let a = world.archetypes.first { $0.entities.contains(row.entity!) }!
                    return a.columns[0].value(at: a.entities.firstIndex(of: row.entity!)!)
                }
                if value(before) != value(after) { n += 1 }
            }
            #expect(row.values[0] == .count(n), "\(row.entity!)")
        }
    }

    @Test("a condition no block can satisfy is answered from block statistics: nothing is read, and the answers agree with a plain loop")
    func answeredFromStatistics() throws {
        let (directory, worlds) = try Self.randomStore(seed: 3)
        let store = try CheckpointStore.open(directory.path)
        let before = store.readStatistics
        let none = try store.run(try Query.parse("first tick where Body.x > 1000"))
        #expect(none.rows.isEmpty && none.checkpointsRead == 12)
        #expect(none.archetypesPassedOver == 24, "both archetypes of all 12 checkpoints")
        #expect(store.readStatistics.since(before).blocksDecoded == 0)
        let counted = try store.run(try Query.parse("count(Score.points > 1000 || Body.mass < -1)"))
        #expect(counted.rows.allSatisfy { $0.values == [.count(0)] } && counted.archetypesPassedOver == 12)
        #expect(store.readStatistics.since(before).blocksDecoded == 0)
        // A condition statistics cannot decide reads as before and finds the same rows as a plain loop.
        let some = try store.run(try Query.parse("Body.x >= 12"))
        #expect(some.rows.map { "\($0.tick):\($0.entity!.rawValue)" } == Self.bruteForce(worlds) { a, r, _ in
            (Self.float(a, "Body", "x", r) ?? .nan) >= 12 })
        // The statistics are the columns' own.
        for (checkpoint, world) in zip(store.checkpoints, worlds) {
            for (stored, archetype) in zip(checkpoint.archetypes, world.archetypes) {
                #expect(stored.entities.statistics == archetype.entities.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: .uint64) })
                for (ref, column) in zip(stored.columns, archetype.columns) where column.type.width != nil {
                    #expect(ref.statistics == column.storage.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: column.type) })
                }
            }
        }
    }

    @Test("a checkpoint record without statistics (kind 1, store 1.4) reads as before: no statistics, and queries still answer")
    func recordsWithoutStatistics() throws {
        let (directory, _) = try Self.randomStore(seed: 4, checkpoints: 2)
        let store = try CheckpointStore.open(directory.path)
        let checkpoint = store.checkpoints[0]
        let old = try IndexRecord.parse(kind: 1, payload: IndexRecord.checkpoint(checkpoint).payload(withStatistics: false))
        guard case .checkpoint(let parsed) = old else { Issue.record("not a checkpoint"); return }
        #expect(parsed == checkpoint)
        #expect(parsed.archetypes.allSatisfy { $0.entities.statistics == nil && $0.columns.allSatisfy { $0.statistics == nil } })
        var stripped = parsed.archetypes[0]
        stripped.columns = stripped.columns.map { var ref = $0; ref.statistics = nil; return ref }
        guard case .rows(let condition) = try Query.parse("Body.x > 1000").form else { Issue.record("not a row query"); return }
        #expect(StatisticsPruning.mayHold(condition, in: stripped))
        #expect(!StatisticsPruning.mayHold(condition, in: checkpoint.archetypes[0]))
    }

    @Test("aggregates make one value per checkpoint; first and last tick stop at the first match")
    func aggregatesAndTicks() throws {
        let (directory, worlds) = try Self.randomStore(seed: 9)
        let store = try CheckpointStore.open(directory.path)
        let counts = try store.run(try Query.parse("count(Body.x < 0)"))
        #expect(counts.rows.map(\.values) == worlds.map { [.count(Self.bruteForce([$0]) { a, r, _ in (Self.float(a, "Body", "x", r) ?? .nan) < 0 }.count)] })
        let maxima = try store.run(try Query.parse("max(Body.x) where Body.alive during 30..50"))
        #expect(maxima.rows.map(\.tick) == [30, 40, 50])
        for (row, world) in zip(maxima.rows, worlds[3...5]) {
            var best = -Double.infinity
            for a in world.archetypes { for r in a.entities.indices where a.columns[2].value(at: r) == .bool(true) {
                let v = Self.float(a, "Body", "x", r)!
                if !v.isNaN { best = Swift.max(best, v) }
            } }
            #expect(row.values == [.number(best)] && row.entity == nil)
        }
        let first = try store.run(try Query.parse("first tick where Body.x == nan"))
        #expect(first.rows.map(\.tick) == [50] && first.checkpointsRead == 6)
        let last = try store.run(try Query.parse("last tick where Score.points > 0"))
        #expect(Set(last.rows.map(\.tick)) == [110])
        // Row limits stop reading.
        let limited = try store.run(try Query.parse("Body.x > -100"), limit: 10)
        #expect(limited.rows.count == 10 && limited.isTruncated && limited.checkpointsRead == 1)
    }

    @Test("names and types are checked before anything runs", arguments: [
        ("Body.xx < 0", "Body has no field xx; did you mean Body.x?"),
        ("Bdy.x < 0", "no component Bdy; did you mean Body.x?"),
        ("Body.x == \"a\"", "Body.x is f32; it cannot be compared with a string"),
        ("Body.x && Body.alive", "Body.x is f32, not true/false"),
        ("Body.alive < true", "true/false values compare only with == and !="),
        ("Name.text + 1 > 0", "Name.text is string; + needs numbers"),
        ("Body.x + 1", "a row query must be true/false"),
        ("has(Bod)", "no component Bod; did you mean Body?"),
        ("first tick where changes(Body.x) > 1", "changes(...) counts over the whole range"),
        ("sum(Body.alive)", "sum's argument must be a number"),
        ("Body.x < 0 on nope", "no branch nope"),
        ("Body.x < 0 during 1000..2000", "no checkpoint of main in range 1000..2000"),
    ])
    func checkedFirst(text: String, message: String) throws {
        let (directory, _) = try Self.randomStore(seed: 1, checkpoints: 2)
        let store = try CheckpointStore.open(directory.path)
        do {
            _ = try store.run(try Query.parse(text))
            Issue.record("\(text) ran")
        } catch {
            #expect(error.message.contains(message), "\(text): \(error.message)")
        }
    }
}

/// A small deterministic generator for the tests' random worlds.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
