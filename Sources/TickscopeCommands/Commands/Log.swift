import ArgumentParser
import Interop
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope log DIR`: branches and checkpoints of a store.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a store's branches and checkpoints: tick, time, tags, size and what is shared with the parent.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            // Anything `open` takes: a store, a bundled store, a foreign file or folder.
            let timeline = try self.store.openTimeline()
            let store = timeline.store
            defer { withExtendedLifetime(timeline) {} }
            let rows = store.checkpoints.map { LogRow(checkpoint: $0, store: store) }
            var output = StandardOutput()
            if json {
                output.line(JSONValue.object([
                    ("branches", .array(store.branches.map { branch in
                        .object([("name", .string(branch.name)), ("forked_from", branch.forkedFrom.map { .string($0.description) } ?? .null)])
                    })),
                    ("checkpoints", .array(rows.map(\.json))),
                    ("bytes_on_disk", .number(String(store.bytesOnDisk))),
                ]).text)
            } else {
                for branch in store.branches {
                    output.line("branch \(branch.name)" + (branch.forkedFrom.map { " (forked from \($0)" + (store.checkpoint($0) == nil ? ", since deleted)" : ")") } ?? ""))
                }
                output.line(pad("id", 7) + pad("branch", 10) + pad("parent", 8) + padLeft("tick", 8) + padLeft("time", 10)
                            + padLeft("entities", 10) + padLeft("bytes", 11) + padLeft("shared", 11) + "  name / tags")
                for row in rows { output.line(row.text) }
                output.line(counted(rows.count, "checkpoint") + ", " + counted(store.branches.count, "branch", "branches") + ", "
                            + (timeline.isStore ? "\(store.bytesOnDisk) bytes on disk" : "read from \(self.store.directory), which is not a Tickscope store"))
            }
            output.flush()
        }
    }
}

/// One checkpoint as `log` shows it.
struct LogRow {
    var checkpoint: Checkpoint
    /// Bytes of all its blocks.
    var bytes: UInt64
    /// Bytes of its blocks that its parent references too.
    var shared: UInt64

    init(checkpoint: Checkpoint, store: CheckpointStore) {
        self.checkpoint = checkpoint
        let refs = Set(checkpoint.blockRefs)
        bytes = refs.reduce(0) { $0 + $1.length }
        let parentRefs = Set(checkpoint.parent.flatMap { store.checkpoint($0) }?.blockRefs ?? [])
        shared = refs.intersection(parentRefs).reduce(0) { $0 + $1.length }
    }

    var text: String {
        let c = checkpoint
        let label = ([c.info.name] + c.info.tags.map { "#" + $0 }).filter { !$0.isEmpty }.joined(separator: " ")
        return pad(c.id.description, 7) + pad(c.branch, 10) + pad(c.parent?.description ?? "-", 8) + padLeft(String(c.tick), 8)
            + padLeft(String(c.worldTime), 10) + padLeft(String(c.entityCount), 10) + padLeft(String(bytes), 11)
            + padLeft(String(shared), 11) + "  " + label
    }

    var json: JSONValue {
        let c = checkpoint
        return .object([
            ("id", .string(c.id.description)), ("branch", .string(c.branch)),
            ("parent", c.parent.map { .string($0.description) } ?? .null),
            ("tick", .number(String(c.tick))),
            ("world_time", c.worldTime.isFinite ? .number(c.worldTime.description) : .string(c.worldTime.description)),
            ("created_ms", .number(String(c.createdAt))),
            ("name", .string(c.info.name)), ("description", .string(c.info.description)),
            ("tags", .array(c.info.tags.map { .string($0) })),
            ("custom", .object(c.info.custom.keys.sorted().map { ($0, .string(c.info.custom[$0]!)) })),
            ("entities", .number(String(c.entityCount))),
            ("bytes", .number(String(bytes))), ("shared_with_parent", .number(String(shared))),
        ])
    }
}
