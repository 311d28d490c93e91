import Foundation
import PackCodec
@testable import ScopeUI
import Testing
import Timeline

/// NaN, ±inf, −0, subnormals and the ends of every integer type, through
/// every widget that scales, formats or orders numbers: sparklines, the
/// watches, the change strip, column fitting, the inspector and sort.
@Suite struct ExtremeValueTests {
    /// A small deterministic generator, so a failure names its seed.
    struct Draw {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func pick<T>(_ pool: [T]) -> T { pool[Int(next() % UInt64(pool.count))] }
    }

    static let doubles: [Double] = [
        .nan, -.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 4.56, 1e300, -1e-300, .pi,
    ]
    static let floats: [Float] = [
        .nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 4.56, Float(bitPattern: 0x0001_16C2) /* 1e-40, a subnormal */, 3e38,
    ]
    static func integers<T: FixedWidthInteger>(_: T.Type) -> [T] { [.min, .max, 0, 1, .max - 1, .min + 1] + (T.isSigned ? [-1] : []) }

    /// One column per numeric type and a long string, each value drawn
    /// from the extremes.
    static let component = ComponentType(name: "X", fields: [
        Field("f32", .float32), Field("f64", .float64), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64), Field("ok", .bool), Field("name", .string),
    ])

    static func world(tick: UInt64, entities: Int, draw: inout Draw) -> Snapshot {
        func column<T: FixedWidthColumnValue>(_ pool: [T]) -> Column { Column((0..<entities).map { _ in draw.pick(pool) }) }
        let columns = [
            column(floats), column(doubles), column(integers(Int8.self)), column(integers(Int16.self)), column(integers(Int32.self)),
            column(integers(Int64.self)), column(integers(UInt8.self)), column(integers(UInt16.self)), column(integers(UInt32.self)),
            column(integers(UInt64.self)), column([true, false]),
            Column(strings: (0..<entities).map { _ in draw.pick(["", "a", String(repeating: "長", count: 40), "tab\there"]) }),
        ]
        return Snapshot(
            schema: Schema(components: [component]),
            archetypes: [Archetype(components: [component], entities: (0..<entities).map { EntityID(UInt64($0) + 1) }, columns: columns)],
            resources: Resources(tick: tick, worldTime: Double(tick)))
    }

    /// A store of `checkpoints` such worlds in a fresh temporary folder
    /// (the caller removes it).
    static func store(seed: UInt64, checkpoints: Int = 12, entities: Int = 7) throws -> (path: String, store: CheckpointStore) {
        let path = NSTemporaryDirectory() + "tickscope-extremes-\(UUID().uuidString)"
        let writer = try CheckpointStore.openForWriting(path)
        var draw = Draw(state: seed)
        for tick in 0..<checkpoints { try writer.commit(world(tick: UInt64(tick), entities: entities, draw: &draw)) }
        return (path, try CheckpointStore.open(path))
    }

    /// The keys that type `text` (a space is SPACE).
    static func typing(_ text: String) -> String { text.map { $0 == " " ? "SPACE" : String($0) }.joined(separator: " ") }

    /// Every cell of a sparkline row is blank or one of the level glyphs.
    static func isLevelRow(_ text: Substring) -> Bool {
        text.allSatisfy { $0 == " " || LevelRow.blocks.contains($0) || LevelRow.asciiBlocks.contains($0) }
    }

    @Test("the issue's crash: inf typed into an f32 cell, forked, then w, W and the inspector")
    func infinityFork() throws {
        let path = try FeatureTests.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let debugger = try FeatureTests.debugger(
            CheckpointStore.open(path), keys: "a RIGHT RIGHT RIGHT e BACKSPACE BACKSPACE BACKSPACE BACKSPACE i n f ENTER f ENTER w W i")
        let lines = debugger.screen(width: 100, height: 30).lines
        #expect(debugger.watches.count == 5)
        #expect(lines[3].hasPrefix("250 value") && lines[3].hasSuffix(" #250 Health.value inf "))
        #expect(Self.isLevelRow(lines[3].dropFirst(10).prefix(100 - 10 - 100 / 3)))
        #expect(lines.contains { $0.contains("inf") && $0.contains("250") })
    }

    @Test("sparkline levels: NaN is nothing, +inf the top, -inf the bottom, finite values in order between", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func scaledLevels(seed: UInt64) {
        var draw = Draw(state: seed)
        for _ in 0..<200 {
            let values: [Double?] = (0..<Int(draw.next() % 20)).map { _ in draw.next() % 5 == 0 ? nil : draw.pick(Self.doubles) }
            let levels = LevelRow.scaled(values)
            #expect(levels.count == values.count)
            for (value, level) in zip(values, levels) {
                guard let value, !value.isNaN else { #expect(level == nil); continue }
                let level = try! #require(level)
                #expect((0...1).contains(level), "\(value) → \(level) (seed \(seed))")
                if value == .infinity { #expect(level == 1) }
                if value == -.infinity { #expect(level == 0) }
            }
            // Order is kept: a larger value never gets a lower bar.
            let pairs = zip(values, levels).compactMap { v, l in v.flatMap { v in l.map { (v, $0) } } }
            for a in pairs { for b in pairs where a.0 < b.0 { #expect(a.1 <= b.1, "\(a) above \(b) (seed \(seed))") } }
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            if let low = finite.min(), let high = finite.max(), low < high {
                #expect(levels[values.firstIndex(of: high)!] == 1 && levels[values.firstIndex(of: low)!] == 0)
            }
            // Drawn at any width: only level glyphs, never past the bar.
            for width in [0, 1, 2, 3, 5, 40] {
                var buffer = CellBuffer(width: 42, height: 1)
                LevelRow(levels: levels, theme: .dark, style: Theme.dark.title).render(in: Rect(x: 0, y: 0, width: width, height: 1), into: &buffer)
                #expect(Self.isLevelRow(buffer.lines[0][...]))
            }
        }
    }

    @Test("values fit their column at every width, and a float that fits prints its shortest exact form")
    func formatting() {
        var values: [FieldValue] = Self.doubles.map { .float64($0) } + Self.floats.map { .float32($0) }
        values += Self.integers(Int64.self).map { .int($0) } + Self.integers(UInt64.self).map { .uint($0) }
        values += [.bool(true), .string(String(repeating: "長", count: 40)), .string("")]
        for value in values {
            for width in 0...14 {
                let text = ValueFormat.format(value, width: width)
                let used = text.reduce(0) { $0 + CellBuffer.displayWidth(of: $1) }
                #expect(used <= width, "\(value) at \(width): \(text)")
                if width > 0, text.count < value.description.count, case .string = value { #expect(text.hasSuffix("…")) }
            }
        }
        #expect(ValueFormat.format(.float32(.infinity), width: 12) == "inf")
        #expect(ValueFormat.format(.float32(-.infinity), width: 12) == "-inf")
        #expect(ValueFormat.format(.float64(.nan), width: 12) == "nan")
        #expect(ValueFormat.format(.float32(-0.0), width: 12) == "-0.0")
        #expect(ValueFormat.format(.float32(4.56), width: 12) == "4.56")
        #expect(ValueFormat.format(.float64(-.greatestFiniteMagnitude), width: 12) == "-1.7977e+308")
    }

    @Test("sort orders every type's extremes as a comparison of the numbers does, NaN last", arguments: [11, 12, 13] as [UInt64])
    func sortProperty(seed: UInt64) throws {
        let (path, store) = try Self.store(seed: seed, checkpoints: 1, entities: 40)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let archetype = try store.snapshot(store.timeline(of: "main")[0].id).archetypes[0]
        for column in archetype.columns where column.type != .string {
            for descending in [false, true] {
                let rows = column.sortedRows(descending: descending)
                #expect(rows.sorted() == Array(0..<column.count))
                let numbers = rows.map { column.value(at: $0).number ?? (column.value(at: $0) == .bool(true) ? 1 : 0) }
                for (a, b) in zip(numbers, numbers.dropFirst()) {
                    let (x, y) = descending ? (b, a) : (a, b)
                    // NaN sorts last ascending (first descending); otherwise x <= y.
                    #expect(y.isNaN || (!x.isNaN && x <= y), "\(column.type) \(descending ? "desc" : "asc"): \(a) then \(b)")
                }
            }
        }
    }

    @Test("every column of extremes: pin, pin aggregates, inspect, sort, filter, search, step, distribution, lifeline, copy and export at several sizes", arguments: [21, 22] as [UInt64])
    func everyWidget(seed: UInt64) throws {
        let (path, store) = try Self.store(seed: seed)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for theme in [Theme.dark, Theme.dark.ascii] {
            let debugger = try Debugger(store: store, title: "extremes", theme: theme)
            for column in 0..<Self.component.fields.count {
                try FeatureTests.press(": \(Self.typing("unpin-all")) ENTER w W i s", on: debugger)
                #expect(debugger.watches.count == (column < 11 ? 5 : 2), "column \(column): \(debugger.watches.map(\.title))")
                for size in [(200, 60), (100, 30), (80, 24), (60, 14), (30, 12), (20, 6)] {
                    let lines = debugger.screen(width: size.0, height: size.1).lines
                    #expect(lines.allSatisfy { $0.count <= size.0 })
                    if theme.box == .ascii { #expect(lines.allSatisfy { $0.allSatisfy(\.isASCII) }, "--ascii at \(size): \(lines.joined(separator: "\n"))") }
                    // The watches' rows, after the gutter: only level glyphs and the value now.
                    guard size.0 >= 60, size.1 >= 12 else { continue }
                    for line in lines[3..<(3 + min(debugger.watches.count, (size.1 - 12) / 3))] {
                        let bar = line.dropFirst(10).prefix(size.0 - 10 - size.0 / 3)
                        #expect(Self.isLevelRow(bar), "column \(column) at \(size): \(line)")
                    }
                }
                try FeatureTests.press("s ] [ l l END HOME i", on: debugger)
                // This session's views on the same extremes: the distribution, a lifeline and its walk,
                // copying, column widths and the view as CSV, drawn at every size.
                try FeatureTests.press("% x o ) ( y Y > <", on: debugger)
                debugger.finishPendingWork()
                if debugger.selectedCell != nil { #expect(debugger.takeClipboard() != nil, "column \(column): Y copies the row") }
                try FeatureTests.press(": \(Self.typing("export!")) SPACE \(Self.typing(path + "/view.csv")) ENTER", on: debugger)
                #expect(debugger.message?.isError != true, "export, column \(column): \(debugger.message?.text ?? "")")
                try FeatureTests.press("%", on: debugger)
                for size in [(200, 60), (80, 24), (30, 12), (20, 6)] {
                    #expect(debugger.screen(width: size.0, height: size.1).lines.allSatisfy { $0.count <= size.0 })
                }
                try FeatureTests.press("x o", on: debugger)
                let field = Self.component.fields[column]
                if field.type.isInteger || field.type == .float32 || field.type == .float64 {
                    try FeatureTests.press("/ \(Self.typing("X.\(field.name) > 0")) ENTER F", on: debugger)
                    #expect(debugger.message?.isError != true, "filter on \(field.name): \(debugger.message?.text ?? "")")
                    try FeatureTests.press(": \(Self.typing("clear-filter")) ENTER", on: debugger)
                }
                try FeatureTests.press("RIGHT", on: debugger)
            }
        }
    }

    @Test("an edit is checked as it is typed: range, whole numbers, f32 overflow; inf and nan only when typed as such", arguments: [
        ("Health.value", "1e40", "Health.value: 1e40 does not fit f32 (largest 3.4028235e+38); type inf to mean infinity"),
        ("Health.value", "1e999", "Health.value: 1e999 does not fit f32 (largest 3.4028235e+38); type inf to mean infinity"),
        ("Health.value", "abc", "Health.value: abc is not a number (f32; inf, -inf and nan are)"),
        ("Age.ticks", "-1", "Age.ticks: -1 does not fit u32 (0 to 4294967295)"),
        ("Age.ticks", "4294967296", "Age.ticks: 4294967296 does not fit u32 (0 to 4294967295)"),
        ("Age.ticks", "1.5", "Age.ticks: 1.5 is not a whole number (u32)"),
        ("Health.value", "inf", nil), ("Health.value", "-inf", nil), ("Health.value", "nan", nil), ("Health.value", "-0", nil),
        ("Health.value", "1e-45", nil), ("Age.ticks", "4294967295", nil),
    ] as [(String, String, String?)])
    func editEntry(field: String, typed: String, error: String?) throws {
        let debugger = try FeatureTests.debugger(keys: "a")
        let column = try #require(debugger.table?.keys.firstIndex { $0.description == field })
        try FeatureTests.press(Array(repeating: "RIGHT", count: column).joined(separator: " ") + " e", on: debugger)
        try FeatureTests.press(Array(repeating: "BACKSPACE", count: 20).joined(separator: " ") + " \(Self.typing(typed)) ENTER", on: debugger)
        if let error {
            #expect(debugger.message?.text == error && debugger.message?.isError == true)
            #expect(debugger.pendingEdits.isEmpty)
        } else {
            #expect(debugger.message?.isError == false, "\(debugger.message?.text ?? "")")
            #expect(debugger.pendingEdits.map(\.text) == ["\(debugger.selectedCell!.entity).\(field)=\(typed)"])
        }
    }

    @Test("--ascii: not one character outside ASCII on any screen, help and prompts included, wide text kept in its columns")
    func asciiOnly() throws {
        let debugger = try Debugger(store: CheckpointStore.open(ScreenTests.sample), title: "ecosystem…", theme: Theme.dark.ascii)
        for keys in ["a i w W", "s s", ": 1 0 0 ENTER", "?", "ESC e"] {
            try FeatureTests.press(keys, on: debugger)
            for size in [(80, 24), (160, 48)] {
                let screen = debugger.screen(width: size.0, height: size.1)
                #expect(screen.lines.allSatisfy { $0.allSatisfy(\.isASCII) && $0.count == size.0 }, "after \(keys): \(screen.text)")
            }
        }
    }
}
