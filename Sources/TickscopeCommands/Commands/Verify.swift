import Formats
import ArgumentParser
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope verify FILE`: decode every block and check the whole-file hash.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every block and the SHA-256 digest of a snapshot file, or every block of a store.",
            discussion: """
                Exits 0 when everything checks out. Otherwise prints one line naming the file \
                and the first bad block and exits 1. Without a key, an encrypted file's blocks \
                are checked by checksum only; an encrypted store needs its key.
                """)

        @Argument(help: "The snapshot file or store directory.")
        var file: String

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            if isDirectory(file) {
                // A damaged store is verified as far as it is intact, and fails with its damage.
                let store: CheckpointStore
                do { store = try CheckpointStore.openIntact(file, key: keyOptions.loadKey()) } catch TimelineError.notAStore {
                    return try verifyForeign()
                }
                return try verify(store)
            }
            if try WorldSource.format(of: file) != .native { return try verifyForeign() }
            let reader: SnapshotReader
            do { reader = try SnapshotReader(path: file, key: try keyOptions.loadKey()) } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            let report = reader.verify()
            if let problem = report.firstProblem { throw CommandFailure(path: file, problem) }
            var output = StandardOutput()
            let note = report.isAuthenticated ? "" : " (encrypted: checksums only, give --key-file to authenticate)"
            output.line("\(file): ok, \(report.format), \(counted(report.blocks.count, "block")), sha256 \(report.computedDigest.hexString)\(note)")
            output.flush()
        }

        /// Every block of a store, as far as it is intact; its damage fails it.
        private func verify(_ store: CheckpointStore) throws {
            let problems = store.damage + store.verify()
            if let first = problems.first {
                for problem in problems.dropFirst() { printError("error: \(problem)") }
                let intact = store.damage.isEmpty ? "" : "; \(store.checkpoints.count) intact checkpoints; `tickscope recover \(file)` repairs it"
                throw CommandFailure(first + intact)
            }
            printLine("\(file): ok, \(counted(store.checkpoints.count, "checkpoint")) on \(counted(store.branches.count, "branch", "branches")), every block checked")
        }

        /// Anything else `open` takes (tx2-pack, PECS, TKSN, JSON Lines, XS):
        /// every world is decoded and checked by its own format's reader; a
        /// store bundled in an XS package is verified block by block.
        private func verifyForeign() throws {
            let timeline = try openTimeline(file, key: keyOptions.loadKey())
            if timeline.isStore { return try verify(timeline.store) }
            let count = timeline.store.checkpoints.count
            printLine("\(file): ok, \(counted(count, "world")) read and checked (not a Tickscope store or snapshot file: its format's own checks)")
        }
    }
}
