import ArgumentParser
import PackCodec

extension Tickscope {
    /// `tickscope verify FILE`: decode every block and check the whole-file hash.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every block and the whole-file SHA-256 of a snapshot file.",
            discussion: """
                Exits 0 when everything checks out. Otherwise prints one line naming the file \
                and the first bad block and exits 1. Without a key, an encrypted file's blocks \
                are checked by checksum only.
                """)

        @Argument(help: "The snapshot file.")
        var file: String

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let reader: SnapshotReader
            do { reader = try SnapshotReader(path: file, key: try keyOptions.loadKey()) } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            let report = reader.verify()
            if let problem = report.firstProblem { throw CommandFailure(path: file, problem) }
            var output = StandardOutput()
            let note = report.isAuthenticated ? "" : " (encrypted: checksums only, give --key-file to authenticate)"
            output.line("\(file): ok, \(report.blocks.count) blocks, sha256 \(report.computedFileHash.hexString)\(note)")
            output.flush()
        }
    }
}
