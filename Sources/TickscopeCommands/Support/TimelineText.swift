import Formats
import Interop
import PackCodec
import Timeline

/// Checkpoints written as JSON Lines (docs/JSONL.md): what `export --format
/// jsonl`, `unpack` and `convert --to jsonl` print.
struct TimelineText {
    let store: CheckpointStore
    let checkpoints: [Checkpoint]

    /// The timeline of `branch` of anything `open` takes (the main branch,
    /// or the only one, by default). An encrypted store is refused: JSON
    /// Lines cannot be encrypted, and only `export --decrypt` writes a
    /// store's worlds in the clear.
    static func of(_ timeline: AnyTimeline, path: String, branch: String? = nil) throws -> TimelineText {
        let store = timeline.store
        if timeline.isStore, store.isEncrypted {
            throw CommandFailure("\(path): the store is encrypted and JSON Lines cannot be; `tickscope export \(path) --format jsonl --decrypt -o FILE` writes it in the clear")
        }
        let names = store.branches.map(\.name)
        let chosen = branch ?? (names.contains(CheckpointStore.mainBranch) ? CheckpointStore.mainBranch : names.first ?? CheckpointStore.mainBranch)
        return TimelineText(store: store, checkpoints: try store.timeline(of: chosen))
    }

    /// Writes every checkpoint to `output` (`-`: standard output, streamed
    /// world by world for a reader on a pipe); with `checkpointLines`, each
    /// world is preceded by its checkpoint line (id, branch, name,
    /// description, tags, custom values), as a timeline; without, the one
    /// world alone.
    func write(to output: String, checkpointLines: Bool = true) throws {
        var text: [UInt8] = []
        var standardOutput = StandardOutput()
        for checkpoint in checkpoints {
            let info = checkpoint.info
            let meta = JSONValue.object([
                ("id", .string(checkpoint.id.description)), ("branch", .string(checkpoint.branch)), ("name", .string(info.name)),
                ("description", .string(info.description)), ("tags", .array(info.tags.map(JSONValue.string))),
                ("custom", .object(info.custom.keys.sorted().map { ($0, JSONValue.string(info.custom[$0]!)) })),
            ])
            let world = try store.snapshot(checkpoint.id)
            let emit: (String) -> Void = output == "-"
                ? { standardOutput.line($0) }
                : { text.append(contentsOf: $0.utf8); text.append(UInt8(ascii: "\n")) }
            JSONLines.encode(world, checkpoint: checkpointLines ? meta : nil, emit: emit)
            standardOutput.flush()
        }
        if output != "-" {
            do { try writeFileAtomically(text, to: output) } catch { throw CommandFailure(path: output, error) }
        }
    }
}
