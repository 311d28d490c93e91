import ArgumentParser
import Formats
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
            try refuseStoreFile(output)
            try refuseOutputOverInput(output, input: input, command: "pack")
            let options = try encoding.writeOptions(key: keyOptions.loadKey())
            let text: [UInt8]
            do { text = try readInput(input) } catch { throw CommandFailure(path: input, error) }
            let snapshot: Snapshot
            do { snapshot = try JSONLines.decode(text) } catch {
                // A file of another format tickscope reads is named as such, with the command that takes it.
                switch WorldSource.format(of: Array(text.prefix(256))) {
                case .native?: throw CommandFailure("\(input): a Tickscope snapshot file already, not JSON Lines; repack rewrites one, unpack prints it as JSON Lines")
                case .tx2pack?, .pecs?, .tksn?: throw CommandFailure("\(input): a foreign snapshot file, not JSON Lines; convert \(input) OUT --to native turns it into a snapshot file")
                default: throw CommandFailure(path: input, error)
                }
            }
            do { try snapshot.write(to: output, options: options) } catch { throw CommandFailure(path: output, error) }
        }
    }
}
