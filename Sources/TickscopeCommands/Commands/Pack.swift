import ArgumentParser
import Interop
import PackCodec

extension Tickscope {
    /// `tickscope pack IN.jsonl -o OUT`: JSON Lines to a native snapshot file.
    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a JSON Lines world (docs/JSONL.md) into a snapshot file.")

        @Argument(help: "The JSON Lines file, or - for standard input.")
        var input: String

        @Option(name: .shortAndLong, help: "The snapshot file to write.")
        var output: String

        @OptionGroup var encoding: EncodingOptions
        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let options = try encoding.writeOptions(key: keyOptions.loadKey())
            let text: [UInt8]
            do { text = try readInput(input) } catch { throw CommandFailure(path: input, error) }
            let snapshot: Snapshot
            do { snapshot = try JSONLines.decode(text) } catch { throw CommandFailure(path: input, error) }
            do { try snapshot.write(to: output, options: options) } catch { throw CommandFailure(path: output, error) }
        }
    }
}
