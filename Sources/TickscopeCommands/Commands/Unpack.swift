import ArgumentParser
import Interop
import PackCodec

extension Tickscope {
    /// `tickscope unpack FILE`: a native snapshot file as JSON Lines.
    struct Unpack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a snapshot file as JSON Lines (docs/JSONL.md): schema first, then one entity a line.")

        @Argument(help: "The snapshot file.")
        var file: String

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let snapshot: Snapshot
            do { snapshot = try SnapshotReader(path: file, key: try keyOptions.loadKey()).readSnapshot() } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            if let output {
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
