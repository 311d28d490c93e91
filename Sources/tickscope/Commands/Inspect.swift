import ArgumentParser
import Interop
import PackCodec

extension Tickscope {
    /// `tickscope inspect FILE`: what a snapshot file holds, without decoding it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a snapshot file's format, schema, archetypes and every block.",
            discussion: """
                Reads only the table of contents and checks each block's CRC-32; \
                nothing is decompressed or decrypted. Use `verify` for a full check.
                """)

        @Argument(help: "The snapshot file.")
        var file: String

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let reader: SnapshotReader
            do { reader = try SnapshotReader(path: file, key: try keyOptions.loadKey()) } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            let report = InspectionReport(reader: reader, path: file)
            var output = StandardOutput()
            if json {
                output.line(report.json.text)
            } else {
                for line in report.textLines { output.line(line) }
            }
            output.flush()
        }
    }
}
