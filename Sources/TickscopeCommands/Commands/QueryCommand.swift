import ArgumentParser
import Interop
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope query STORE 'EXPR'`: ask a recording a question across time (docs/QUERY.md).
    struct QueryCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Ask a recording a question across time: rows, the first or last tick where something holds, a series.",
            discussion: """
                Examples: 'Health.value < 0 at c120', 'first tick where Health.value < 0', \
                'count(Health.value < 10) during 0..200', 'max(sqrt(Velocity.vx*Velocity.vx + Velocity.vy*Velocity.vy))', \
                'changes(Position.x) > 5 on fork-99'. The language is in docs/QUERY.md. Reads everything open reads.
                """)

        @OptionGroup var store: StoreOptions

        @Argument(help: "The query.")
        var query: String

        @Flag(help: "Print a JSON array of row objects (branch, checkpoint, tick, entity, values).")
        var json = false

        @Flag(help: "Print CSV with a header line.")
        var csv = false

        @Option(help: "Print at most this many rows (0: all).")
        var limit: Int = 1000

        func validate() throws {
            guard !(json && csv) else { throw ValidationError("--json and --csv: give one") }
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        }

        func run() throws {
            let parsed: Query
            do { parsed = try Query.parse(query) } catch { throw CommandFailure("query: \(error)") }
            let timeline = try store.openTimeline()
            defer { withExtendedLifetime(timeline) {} }
            let result: QueryResult
            do { result = try timeline.store.run(parsed, limit: limit == 0 ? nil : limit) } catch { throw CommandFailure("query: \(error)") }
            var output = StandardOutput()
            if json {
                output.line(JSONValue.array(result.rows.map { row in
                    .object([
                        ("branch", .string(row.branch)), ("checkpoint", .string(row.checkpoint.description)), ("tick", .number(String(row.tick))),
                        ("entity", row.entity.map { .number(String($0.rawValue)) } ?? .null),
                        ("values", .object(zip(result.valueNames, row.values).map { ($0, Self.json($1)) })),
                    ])
                }).text)
            } else if csv {
                output.line((["branch", "checkpoint", "tick", "entity"] + result.valueNames).map(CSV.field).joined(separator: ","))
                for row in result.rows {
                    let fields = [row.branch, row.checkpoint.description, String(row.tick), row.entity.map { String($0.rawValue) } ?? ""] + row.values.map(\.description)
                    output.line(fields.map(CSV.field).joined(separator: ","))
                }
            } else {
                let header = ["branch", "checkpoint", "tick", "entity"] + result.valueNames
                let lines = result.rows.map { row in
                    [row.branch, row.checkpoint.description, String(row.tick), row.entity.map { "#\($0.rawValue)" } ?? "-"] + row.values.map(\.description)
                }
                let widths = header.indices.map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
                for line in [header] + lines {
                    let text = zip(line, widths).map { padded($0, to: $1) }.joined(separator: "  ")
                    output.line(String(text.reversed().drop { $0 == " " }.reversed()))
                }
                let more = result.isTruncated ? "; more rows were left out (--limit 0 shows all)" : ""
                let rows = result.rows.count == 1 ? "1 row" : "\(result.rows.count) rows"
                let read = result.checkpointsRead == 1 ? "1 checkpoint" : "\(result.checkpointsRead) checkpoints"
                let passed = result.archetypesPassedOver == 0 ? ""
                    : "; \(result.archetypesPassedOver) archetype\(result.archetypesPassedOver == 1 ? "" : "s") passed over unread (block statistics rule them out)"
                output.line("\(rows) from \(read)\(passed)\(more)")
                // One checkpoint's distribution: its histogram too.
                if result.distributions.count == 1 { for line in Self.histogram(result.distributions[0]) { output.line(line) } }
            }
            output.flush()
        }

        /// Ten equal bins between the finite minimum and maximum, each with
        /// its count and a bar (40 cells for the fullest).
        static func histogram(_ spread: Distribution, bins: Int = 10) -> [String] {
            guard let range = spread.finiteRange() else { return [] }
            let edges = Distribution.bins(bins, over: range)
            let counts = spread.histogram(bins: edges.count, over: range)
            let largest = max(1, counts.max() ?? 1)
            let labels = edges.map { "\($0.low) .. \($0.high)" }
            let labelWidth = labels.map(\.count).max() ?? 0
            let countWidth = String(largest).count
            return ["histogram"] + counts.indices.map { index in
                padded(labels[index], to: labelWidth) + "  "
                    + String(repeating: " ", count: countWidth - String(counts[index]).count) + String(counts[index])
                    + (counts[index] == 0 ? "" : "  " + String(repeating: "#", count: (counts[index] * 40 + largest - 1) / largest))
            }
        }

        /// A result value in JSON: a field's value as JSON Lines writes it (docs/JSONL.md), a computed number alike.
        static func json(_ value: QueryValue) -> JSONValue {
            switch value {
            case .count(let count): .number(String(count))
            case .number(let number): JSONLines.json(.float64(number))
            case .field(let field): JSONLines.json(field)
            }
        }
    }
}

/// `text` filled with spaces to `width` characters (never cut: the widths are the columns' widest).
private func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
