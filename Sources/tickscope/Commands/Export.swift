import ArgumentParser
import PackCodec
import Timeline

extension Tickscope {
    /// `tickscope export DIR --at A -o FILE`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write one checkpoint as a standalone snapshot file.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The checkpoint: c12, a tick, or branch@tick.") var at: String
        @Option(name: .shortAndLong, help: "The snapshot file to write.") var output: String
        @OptionGroup var encoding: EncodingOptions
        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let options = try encoding.writeOptions(key: keyOptions.loadKey())
            let store = try CheckpointStore.open(self.store.directory)
            let checkpoint = try store.resolve(at)
            let snapshot = try store.snapshot(checkpoint.id)
            do { try snapshot.write(to: output, options: options) } catch { throw CommandFailure(path: output, error) }
        }
    }

    /// `tickscope import DIR FILE...`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add snapshot files to a store as checkpoints, in the order given.")

        @Argument(help: "The store directory (created when missing).")
        var directory: String
        @Argument(help: "Snapshot files.") var files: [String]
        @Option(help: "The branch to add them to.") var branch: String = CheckpointStore.mainBranch
        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            let key = try keyOptions.loadKey()
            let store = try CheckpointStore.openForWriting(directory)
            for file in files {
                let snapshot: Snapshot
                do { snapshot = try SnapshotReader(path: file, key: key).readSnapshot() } catch { throw CommandFailure(path: file, error) }
                let checkpoint = try store.commit(snapshot, branch: branch, info: CheckpointInfo(name: file))
                printLine("\(file) -> \(checkpoint.id) (tick \(checkpoint.tick))")
            }
        }
    }
}
