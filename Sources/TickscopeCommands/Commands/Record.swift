import ArgumentParser
import PackCodec
import Simulations
import Timeline

extension Tickscope {
    /// `tickscope record swarm DIR`: run a simulation into a checkpoint store.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a simulation into a checkpoint store, or carry a branch on with --resume.",
            discussion: """
                swarm is workload W3 of bench/WORKLOADS.md; boids, ecosystem and orbits are the sample \
                simulations (SampleWorlds/). --resume DIR@BRANCH rebuilds the simulation from the branch's \
                last checkpoint, for instance a fork with an edited value, and records onto that branch. \
                --stdin STORE records the worlds another program writes to standard input instead \
                (--format jsonl: JSON Lines worlds one after another; native: snapshot files each \
                preceded by its length as a little-endian u64), each as a checkpoint as it arrives; \
                a malformed frame is an error naming it and its byte offset, and nothing of it is committed. \
                Prints one line per committed checkpoint (`committed c12 tick 11`).
                """)

        enum Kind: String, ExpressibleByArgument, CaseIterable { case swarm, boids, ecosystem, orbits }

        @Argument(help: "The simulation: swarm, boids, ecosystem or orbits (with --stdin: the store directory).")
        var simulationOrStore: String

        @Flag(help: "Record the worlds a program writes to standard input (see --format).")
        var stdin = false

        @Option(help: "With --stdin: jsonl or native.")
        var format: String = "jsonl"

        /// The simulation named on the command line (not with --stdin).
        var simulation: Kind { Kind(rawValue: simulationOrStore)! }

        @Argument(help: "The store directory (created when missing); omit with --resume.")
        var directory: String?

        @Option(help: ArgumentHelp("Carry on a branch of an existing recording: DIR@BRANCH.", valueName: "dir@branch"))
        var resume: String?

        @Option(help: "Ticks to run.")
        var ticks: Int = 100

        @Option(help: "Commit a checkpoint every K ticks.")
        var every: Int = 1

        @Option(help: "The random seed.")
        var seed: UInt64 = 42

        @Option(help: "Entities at the start (swarm: default 10,000; boids: boids; ecosystem: a population multiplier; orbits: asteroids).")
        var entities: Int?

        @Option(help: "The branch to record on (new recordings; it must not exist yet).")
        var branch: String = CheckpointStore.mainBranch

        @Option(help: "Block codec for new blocks.")
        var codec: BlockCodec = .zstd(level: 3)

        @OptionGroup(title: "Encryption (a new store made with a key is encrypted)") var keyOptions: KeyOptions

        func validate() throws {
            if stdin {
                guard directory == nil, resume == nil else { throw ValidationError("--stdin takes one argument, the store directory") }
                guard WorldStream.Format(rawValue: format) != nil else { throw ValidationError("--format is jsonl or native") }
                return
            }
            guard Kind(rawValue: simulationOrStore) != nil else {
                throw ValidationError("'\(simulationOrStore)' is not a simulation: swarm, boids, ecosystem or orbits (or give --stdin to record standard input)")
            }
            guard (directory == nil) != (resume == nil) else { throw ValidationError("give a store directory, or --resume DIR@BRANCH, not both") }
            if let resume { guard resume.contains("@") else { throw ValidationError("--resume takes DIR@BRANCH") } }
            guard ticks >= 0 else { throw ValidationError("--ticks must not be negative") }
            guard every >= 1 else { throw ValidationError("--every must be at least 1") }
            if let entities { guard entities >= 0, entities <= 1 << 26 else { throw ValidationError("--entities must be between 0 and \(1 << 26)") } }
            if simulation == .swarm, resume != nil { throw ValidationError("swarm is a benchmark workload and cannot resume") }
        }

        func run() throws {
            let options = WriteOptions(codec: codec)
            let report: (Checkpoint) -> Void = { printLine("committed \($0.id) tick \($0.tick)") }
            if stdin {
                try BranchName.validate(branch)
                let key = try keyOptions.loadKey()
                let directory = simulationOrStore, folderExisted = isDirectory(directory)
                let storeExisted = folderExisted && (try? CheckpointStore.open(directory, key: key)) != nil
                let store = try Self.openForWriting(directory, key: key, create: true)
                var stream = WorldStream(format: WorldStream.Format(rawValue: format)!, descriptor: .standardInput, name: "standard input", key: key)
                do {
                    while let world = try stream.next() { report(try store.commit(world, branch: branch, options: options)) }
                } catch {
                    // Frames committed before stay (they were reported); a store this run made and never used goes.
                    if !storeExisted, stream.frames == 0 { try? StoreFiles.removeEmptyStore(at: directory, key: key, folder: !folderExisted) }
                    throw error
                }
                return
            }
            if let resume {
                let at = resume.lastIndex(of: "@")!
                let store = try Self.openForWriting(String(resume[..<at]), key: keyOptions.loadKey(), create: false)
                let branch = String(resume[resume.index(after: at)...])
                _ = try explainingNames(of: store, in: String(resume[..<at])) { try store.resumePoint(ofBranch: branch) }
                switch simulation {
                case .boids: try SimulationRecorder.resume(Boids.self, branch: branch, in: store, ticks: ticks, every: every, options: options, progress: report)
                case .ecosystem: try SimulationRecorder.resume(Ecosystem.self, branch: branch, in: store, ticks: ticks, every: every, options: options, progress: report)
                case .orbits: try SimulationRecorder.resume(Orbits.self, branch: branch, in: store, ticks: ticks, every: every, options: options, progress: report)
                case .swarm: break
                }
                return
            }
            try BranchName.validate(branch)
            let store = try Self.openForWriting(directory!, key: keyOptions.loadKey(), create: true)
            // A new recording starts a branch: appended to one, its ticks would start again from 0 in the middle of a timeline.
            if store.branches.contains(where: { $0.name == branch }) {
                let last = store.lastCheckpoint(onBranch: branch).map { " up to tick \($0.tick)" } ?? ""
                throw CommandFailure("\(directory!): branch \(branch) already holds a recording\(last); record a new one on another --branch, "
                                     + "or carry this one on with --resume \(directory!)@\(branch)")
            }
            switch simulation {
            case .swarm:
                try SwarmTimeline.record(entities: entities ?? 10_000, ticks: ticks, into: store, branch: branch, options: WriteOptions(codec: codec), progress: report)
            case .boids:
                var sim = Boids(seed: seed, scale: entities)
                try SimulationRecorder.record(&sim, ticks: ticks, every: every, into: store, branch: branch, options: options, progress: report)
            case .ecosystem:
                var sim = Ecosystem(seed: seed, scale: entities)
                try SimulationRecorder.record(&sim, ticks: ticks, every: every, into: store, branch: branch, options: options, progress: report)
            case .orbits:
                var sim = Orbits(seed: seed, scale: entities)
                try SimulationRecorder.record(&sim, ticks: ticks, every: every, into: store, branch: branch, options: options, progress: report)
            }
        }

        /// Opens the store for writing, refusing a key for a plain store:
        /// a recording is encrypted from its first checkpoint or not at all.
        static func openForWriting(_ directory: String, key: EncryptionKey?, create: Bool) throws -> CheckpointStore {
            try SampleCopy.refuseWriting(to: directory)
            let store = try CheckpointStore.openForWriting(directory, key: key, create: create)
            reportStaleLock(store)
            if key != nil, !store.isEncrypted {
                throw CommandFailure("\(directory): the store is not encrypted, and a key cannot encrypt it in place; record into a new folder")
            }
            return store
        }
    }
}

/// Prints one line to standard output at once (unbuffered), so a process
/// reading the pipe sees every line written before a crash.
func printLine(_ text: String) {
    var output = StandardOutput()
    output.line(text)
    output.flush()
}
