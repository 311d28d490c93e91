import ArgumentParser
import Formats
import Interop
import PackCodec
import Timeline

/// What `export` and `import` read and write.
enum ExchangeFormat: String, ExpressibleByArgument, CaseIterable { case native, jsonl }

extension Tickscope {
    /// `tickscope export DIR --at A -o FILE`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one checkpoint as a standalone snapshot file, or a whole timeline as JSON Lines.",
            discussion: """
                With --format jsonl and no --at, every checkpoint of the branch's timeline is written, one after another (docs/JSONL.md). \
                From an encrypted store, a snapshot file is encrypted with the store's key, and writing anything \
                unencrypted (a plain snapshot file, JSON Lines) needs --decrypt.
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "The checkpoint: c12, a tick, or branch@tick (required for native).") var at: String?
        @Option(help: "native (a snapshot file) or jsonl.") var format: ExchangeFormat = .native
        @Option(help: "For a jsonl timeline: the branch.") var branch: String = CheckpointStore.mainBranch
        @Option(name: .shortAndLong, help: "The file to write; - writes to standard output.") var output: String
        @OptionGroup var encoding: EncodingOptions
        @Flag(help: "From an encrypted store: write the data unencrypted.") var decrypt = false

        func run() throws {
            try refuseStoreFile(output)
            try refuseOutputOverInput(output, input: self.store.directory, command: "export")
            let key = try self.store.keyOptions.loadKey()
            let timeline = try openTimeline(self.store.directory, key: key)
            let store = timeline.store
            defer { withExtendedLifetime(timeline) {} }
            if store.isEncrypted, !decrypt, format == .jsonl {
                throw CommandFailure("\(self.store.directory): the store is encrypted and JSON Lines cannot be; give --decrypt to write it in the clear")
            }
            if format == .jsonl {
                let checkpoints = try explainingNames(of: store, in: self.store.directory) { try at.map { [try store.resolve($0)] } ?? store.timeline(of: branch) }
                try TimelineText(store: store, checkpoints: checkpoints).write(to: output)
                return
            }
            guard let at else { throw ValidationError("--at is required for a native snapshot file") }
            var options = try encoding.writeOptions(key: key)
            if store.isEncrypted, !decrypt { options.key = key }
            let checkpoint = try explainingNames(of: store, in: self.store.directory) { try store.resolve(at) }
            let snapshot = try store.snapshot(checkpoint.id)
            if output == "-" {
                var standardOutput = StandardOutput()
                do { standardOutput.bytes(try snapshot.encoded(options: options)) } catch { throw CommandFailure(path: output, error) }
                standardOutput.flush()
                return
            }
            do { try snapshot.write(to: output, options: options) } catch { throw CommandFailure(path: output, error) }
        }
    }

    /// `tickscope import DIR FILE...`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add snapshot files (or JSON Lines timelines) to a store as checkpoints, in the order given.")

        @Argument(help: "The store directory (created when missing; encrypted when made with a key).")
        var directory: String
        @Argument(help: "Snapshot files, or JSON Lines files with --format jsonl.") var files: [String]
        @Option(help: "The branch to add them to.") var branch: String = CheckpointStore.mainBranch
        @Option(help: "native (snapshot files) or jsonl (one snapshot or a whole timeline a file).") var format: ExchangeFormat = .native
        @OptionGroup var keyOptions: KeyOptions

        /// Every world is read and encoded before anything is committed, and
        /// then all are committed as one: a bad file, a full disk or a kill
        /// leaves the store as it was (and no store where there was none).
        func run() throws {
            let key = try keyOptions.loadKey()
            var worlds: [(file: String, snapshot: Snapshot?, checkpoint: JSONValue?)] = []
            if format == .jsonl {
                // JSON Lines are parsed whole first, so a bad line names its file before the store is touched.
                for file in files {
                    do { worlds += try JSONLines.decodeTimeline(readInput(file)).map { (file, $0.snapshot, $0.checkpoint) } } catch let error as InteropError {
                        throw CommandFailure("\(file): \(error)")
                    }
                }
            } else {
                // Snapshot files are read one at a time while they are encoded.
                worlds = files.map { ($0, nil, nil) }
            }
            let storeExisted = (try? CheckpointStore.open(directory, key: key)) != nil, folderExisted = isDirectory(directory)
            let store = try openStore(key: key)
            var lastTick = (try? store.timeline(of: branch))?.last?.tick
            let checkpoints: [Checkpoint]
            do {
                checkpoints = try store.commit(count: worlds.count, branch: branch) { index in
                    let world = worlds[index]
                    if let snapshot = world.snapshot { return (snapshot, WorldSource.checkpointInfo(world.checkpoint, file: world.file)) }
                    do { return (try SnapshotReader(path: world.file, key: key).readSnapshot(), CheckpointInfo(name: world.file)) } catch {
                        throw CommandFailure(path: world.file, error)
                    }
                }
            } catch {
                if !storeExisted { try? StoreFiles.removeEmptyStore(at: directory, key: key, folder: !folderExisted) }
                throw error
            }
            for (world, checkpoint) in zip(worlds, checkpoints) {
                printLine("\(world.file) -> \(checkpoint.id) (tick \(checkpoint.tick))")
                // Allowed (a simulation may restart its clock), but files given out of order are the likelier cause.
                if let lastTick, checkpoint.tick < lastTick {
                    printError("warning: \(world.file): tick \(checkpoint.tick) follows tick \(lastTick) on \(branch), so its timeline goes back in time; give the files in tick order to keep it going forward")
                }
                lastTick = checkpoint.tick
            }
        }

        /// The store, for writing; a key that cannot encrypt an existing
        /// plain store is said to have been used for the input files only.
        private func openStore(key: EncryptionKey?) throws -> CheckpointStore {
            try SampleCopy.refuseWriting(to: directory)
            let store = try CheckpointStore.openForWriting(directory, key: key)
            reportStaleLock(store)
            if key != nil, !store.isEncrypted { printLine("\(directory): not an encrypted store; the key was used for the input files only") }
            return store
        }
    }
}
