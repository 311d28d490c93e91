import ArgumentParser
import Interop
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope diff DIR A B`: what changed between two checkpoints.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed between two checkpoints: spawned, despawned, moved entities and every changed cell.",
            discussion: "A and B are checkpoint ids (c12), ticks on the main branch (4000) or branch@tick (fix@4000).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The first checkpoint.")
        var first: String

        @Argument(help: "The second checkpoint.")
        var second: String

        @Flag(help: "Print one JSON object with keys spawned, despawned, moved, changed.")
        var json = false

        @Option(help: "Print at most this many changed cells in text form (all with --json).")
        var limit: Int = 50

        func run() throws {
            // Anything `open` takes: a store, a bundled store, a foreign file or folder.
            let timeline = try self.store.openTimeline()
            let store = timeline.store
            defer { withExtendedLifetime(timeline) {} }
            let (a, b) = try explainingNames(of: store, in: self.store.directory) { (try store.resolve(first), try store.resolve(second)) }
            let diff = try store.diff(a.id, b.id)
            var output = StandardOutput()
            if json {
                output.line(JSONValue.object([("from", .string(a.id.description)), ("to", .string(b.id.description))] + diff.jsonMembers()).text)
            } else {
                output.line("\(a.id) (\(a.branch)@\(a.tick)) -> \(b.id) (\(b.branch)@\(b.tick)): \(diff.spawned.count) spawned, "
                            + "\(diff.despawned.count) despawned, \(diff.moved.count) moved, \(counted(diff.changed.count, "changed cell"))")
                if !diff.spawned.isEmpty { output.line("spawned: " + diff.spawned.map(\.description).joined(separator: " ")) }
                if !diff.despawned.isEmpty { output.line("despawned: " + diff.despawned.map(\.description).joined(separator: " ")) }
                for move in diff.moved {
                    output.line("moved \(move.entity): \(move.from.joined(separator: "+")) -> \(move.to.joined(separator: "+"))")
                }
                for (key, count) in diff.changedCellsPerField { output.line("  \(key): \(counted(count, "cell"))") }
                for change in diff.changed.prefix(max(0, limit)) {
                    output.line("  entity \(change.entity) \(change.component).\(change.field): \(change.old) -> \(change.new)")
                }
                if diff.changed.count > limit { output.line("  ... \(diff.changed.count - limit) more (--limit N or --json)") }
            }
            output.flush()
        }
    }
}
