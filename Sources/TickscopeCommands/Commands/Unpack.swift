import ArgumentParser
import Formats
import Interop
import PackCodec

extension Tickscope {
    /// `tickscope unpack PATH`: anything `open` takes, as JSON Lines.
    struct Unpack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a snapshot file as JSON Lines (docs/JSONL.md): schema first, then one entity a line.",
            discussion: """
                Takes anything `open` takes. One world (a snapshot file, a tx2-pack, PECS or TKSN file) prints alone; \
                a store's main branch, a tx2-pack or TKSN folder, or an XS package of snapshots prints as a timeline: \
                each world after its checkpoint line, as `export --format jsonl` writes it.
                """)

        @Argument(help: "The snapshot file, or anything `open` takes.")
        var file: String

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output (- is standard output).")
        var output: String?

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            if let output {
                try refuseStoreFile(output)
                try refuseOutputOverInput(output, input: file, command: "unpack")
            }
            if try isDirectory(file) || WorldSource.format(of: file) != .native {
                let timeline = try openTimeline(file, key: try keyOptions.loadKey())
                defer { withExtendedLifetime(timeline) {} }
                let text = try TimelineText.of(timeline, path: file)
                try text.write(to: output ?? "-", checkpointLines: timeline.isStore || text.checkpoints.count != 1)
                return
            }
            let snapshot: Snapshot
            do { snapshot = try SnapshotReader(path: file, key: try keyOptions.loadKey()).readSnapshot() } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            if let output, output != "-" {
                var text: [UInt8] = []
                JSONLines.encode(snapshot) { line in
                    text.append(contentsOf: line.utf8)
                    text.append(UInt8(ascii: "\n"))
                }
                do { try writeFileAtomically(text, to: output) } catch { throw CommandFailure(path: output, error) }
            } else {
                var out = StandardOutput()
                JSONLines.encode(snapshot) { out.line($0) }
                out.flush()
            }
        }
    }
}
