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

        @Argument(help: "The snapshot file (native or TKSN; the format is told by content).")
        var file: String

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            if case .tksn(let gzip) = try WorldSource.format(of: file) {
                let tksn = try WorldSource.readTKSN(readInput(file), path: file)
                var output = StandardOutput()
                let fields: [(String, String)] = [
                    ("format", gzip ? "TKSN (gzip)" : "TKSN"), ("version", "1"), ("tick", String(tksn.tick)),
                    ("entities", String(tksn.count)), ("dimensions", String(tksn.dimensions)),
                    ("entity ids", "none stored: numbered by record"),
                ]
                if json {
                    output.line(JSONValue.object(fields.map { ($0.0, Int($0.1) != nil ? .number($0.1) : .string($0.1)) }).text)
                } else {
                    for (name, value) in fields { output.line("\(name): \(value)") }
                }
                output.flush()
                return
            }
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
