import ArgumentParser
import Timeline

extension Tickscope {
    /// `tickscope prune DIR (--keep N | --before T | --after T)`.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete checkpoints: all but the N most recent, or before or after a tick or world time.",
            discussion: "A metadata operation: the space comes back with `tickscope gc`.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Keep the N most recent checkpoints.") var keep: Int?
        @Option(help: "Delete checkpoints before this tick.") var before: UInt64?
        @Option(help: "Delete checkpoints after this tick.") var after: UInt64?
        @Option(name: .customLong("before-time"), help: "Delete checkpoints before this world time (seconds).") var beforeTime: Double?
        @Option(name: .customLong("after-time"), help: "Delete checkpoints after this world time (seconds).") var afterTime: Double?
        @Flag(name: .customLong("dry-run"), help: "List what would be deleted, and delete nothing.") var dryRun = false

        func validate() throws {
            let given = [keep != nil, before != nil, after != nil, beforeTime != nil, afterTime != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --keep, --before, --after, --before-time, --after-time") }
            if let keep, keep < 0 { throw ValidationError("--keep must not be negative") }
        }

        func run() throws {
            let rule: CheckpointStore.PruneRule =
                if let keep { .keepMostRecent(keep) } else if let before { .beforeTick(before) } else if let after { .afterTick(after) }
                else if let beforeTime { .beforeTime(beforeTime) } else { .afterTime(afterTime!) }
            if dryRun {
                let store = try self.store.open()
                let doomed = store.checkpoints(prunedBy: rule)
                printLine("would delete \(counted(doomed.count, "checkpoint"))\(Self.describe(doomed)); \(store.checkpoints.count - doomed.count) remain")
                return
            }
            let store = try self.store.openForWriting()
            let removed = try store.prune(rule)
            printLine("deleted \(counted(removed.count, "checkpoint")); \(store.checkpoints.count) remain (run `tickscope gc` to reclaim space)")
        }
    }

}

extension Tickscope.Prune {
    /// `: c1…c26 (main: ticks 0…25), c40 (fix: tick 12)`: the ids in runs,
    /// each run with its branch and ticks; empty for none.
    static func describe(_ checkpoints: [Checkpoint]) -> String {
        var runs: [[Checkpoint]] = []
        for checkpoint in checkpoints {
            if let last = runs.last?.last, last.id.rawValue + 1 == checkpoint.id.rawValue, last.branch == checkpoint.branch {
                runs[runs.count - 1].append(checkpoint)
            } else {
                runs.append([checkpoint])
            }
        }
        guard !runs.isEmpty else { return "" }
        return ": " + runs.map { run in
            let first = run.first!, last = run.last!
            let ids = run.count == 1 ? "\(first.id)" : "\(first.id)…\(last.id)"
            let ticks = run.count == 1 ? "tick \(first.tick)" : "ticks \(first.tick)…\(last.tick)"
            return "\(ids) (\(first.branch): \(ticks))"
        }.joined(separator: ", ")
    }
}

extension Tickscope {
    /// `tickscope gc DIR`.
    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Reclaim the space of deleted checkpoints by rewriting the store into new files.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try self.store.openForWriting()
            guard store.hasGarbage else {
                printLine("nothing to reclaim: no deleted checkpoints or branches; \(store.bytesOnDisk) bytes, left as they are")
                return
            }
            let (before, after) = try store.collectGarbage()
            printLine("\(before) bytes -> \(after) bytes")
        }
    }
}
