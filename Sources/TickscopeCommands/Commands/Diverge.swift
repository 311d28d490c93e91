#if canImport(Glibc)
import Formats
import Glibc
#endif
import ArgumentParser
import Interop
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope diverge A B`: the first tick where two timelines differ.
    struct Diverge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the first tick where two recordings (or two branches) differ, and what differs there.",
            discussion: """
                A and B are anything open reads, each optionally followed by @BRANCH (runs/a@main runs/a@fix, \
                or runs/a runs/b). Worlds are compared tick by tick through their block hashes, so equal ticks \
                cost no decoding; the first pair that differs is diffed: spawned, despawned, moved entities and \
                every changed cell with both values. Exits 0 either way; 1 on an error.
                """)

        @Argument(help: "The first recording, PATH or PATH@BRANCH.") var first: String
        @Argument(help: "The second recording, PATH or PATH@BRANCH.") var second: String
        @Flag(help: "Print one JSON object.") var json = false
        @Option(help: "Print at most this many changed cells in text form (all with --json).") var limit: Int = 50
        @OptionGroup var keyOptions: KeyOptions

        /// A path and a branch: `PATH@BRANCH` when the part before the last @ exists, else the whole path.
        static func side(_ text: String) -> (path: String, branch: String?) {
            if let at = text.lastIndex(of: "@"), pathExists(String(text[..<at])), !pathExists(text) {
                return (String(text[..<at]), String(text[text.index(after: at)...]))
            }
            return (text, nil)
        }

        func run() throws {
            let key = try keyOptions.loadKey()
            let (pathA, branchA) = Self.side(first), (pathB, branchB) = Self.side(second)
            let a = try openTimeline(pathA, key: key)
            // The same store twice (two branches of it) is opened once, so the diff needs no copy.
            let b = pathA == pathB ? a : try openTimeline(pathB, key: key)
            defer { withExtendedLifetime((a, b)) {} }
            func side(_ timeline: AnyTimeline, _ branch: String?) -> Divergence.Side {
                let names = timeline.store.branches.map(\.name)
                return .init(store: timeline.store, branch: branch ?? (names.contains(CheckpointStore.mainBranch) || names.isEmpty ? CheckpointStore.mainBranch : names[0]))
            }
            let left = side(a, branchA), right = side(b, branchB)
            for (timeline, path, branch) in [(a, pathA, left.branch), (b, pathB, right.branch)] {
                _ = try explainingNames(of: timeline.store, in: path) { try timeline.store.timeline(of: branch) }
            }
            let (found, common) = try Divergence.find(left, right)
            var output = StandardOutput()
            let nameA = "\(pathA)@\(left.branch)", nameB = "\(pathB)@\(right.branch)"
            guard let found else {
                if json {
                    output.line(JSONValue.object([("a", .string(nameA)), ("b", .string(nameB)), ("common_ticks", .number(String(common))), ("tick", .null)]).text)
                } else {
                    output.line("no difference: \(nameA) and \(nameB) hold the same worlds at all \(common) ticks they both have")
                }
                output.flush()
                return
            }
            let diff = found.diff
            if json {
                output.line(JSONValue.object([
                    ("a", .string(nameA)), ("b", .string(nameB)), ("common_ticks", .number(String(common))),
                    ("tick", .number(String(found.tick))), ("ticks_compared", .number(String(found.ticksCompared))),
                    ("checkpoint_a", .string(found.first.id.description)), ("checkpoint_b", .string(found.second.id.description)),
                ] + diff.jsonMembers(valueNames: ("a", "b"))).text)
            } else {
                output.line("first difference at tick \(found.tick) (after \(found.ticksCompared - 1) equal ticks): \(nameA) \(found.first.id) vs \(nameB) \(found.second.id)")
                output.line("  \(diff.spawned.count) only in b, \(diff.despawned.count) only in a, \(diff.moved.count) in other archetypes, \(counted(diff.changed.count, "changed cell"))")
                for (field, count) in diff.changedCellsPerField.sorted(by: { ($0.count, $1.key) > ($1.count, $0.key) }) { output.line("  \(field): \(counted(count, "cell"))") }
                for cell in diff.changed.prefix(max(0, limit)) {
                    output.line("    #\(cell.entity.rawValue) \(cell.component).\(cell.field): \(cell.old) -> \(cell.new)")
                }
                if diff.changed.count > limit { output.line("    … \(diff.changed.count - limit) more (--limit, --json)") }
            }
            output.flush()
        }
    }
}

/// Whether anything (a file, a folder) is at `path`.
func pathExists(_ path: String) -> Bool { access(path, F_OK) == 0 }
