import ArgumentParser
import PackCodec
import Simulations
import Timeline

extension Tickscope {
    /// `tickscope record swarm DIR`: run a simulation into a checkpoint store.
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a simulation into a checkpoint store, one checkpoint a tick.",
            discussion: """
                swarm is workload W3 of bench/WORKLOADS.md. Prints one line per committed checkpoint \
                (`committed c12 tick 11`) so scripts and tests can follow along.
                """)

        enum Simulation: String, ExpressibleByArgument, CaseIterable { case swarm }

        @Argument(help: "The simulation to run.")
        var simulation: Simulation

        @Argument(help: "The store directory (created when missing).")
        var directory: String

        @Option(help: "Entities at tick 0.")
        var entities: Int = 10_000

        @Option(help: "Ticks to run after tick 0.")
        var ticks: Int = 100

        @Option(help: "The branch to record on.")
        var branch: String = CheckpointStore.mainBranch

        @Option(help: "Block codec for new blocks.")
        var codec: BlockCodec = .zstd(level: 1)

        func validate() throws {
            guard entities >= 0, entities <= 1 << 26 else { throw ValidationError("--entities must be between 0 and \(1 << 26)") }
            guard ticks >= 0 else { throw ValidationError("--ticks must not be negative") }
        }

        func run() throws {
            let store = try CheckpointStore.openForWriting(directory)
            if let stale = store.recoveredLock { printLine("recovered a stale lock left by \(stale)") }
            try SwarmTimeline.record(entities: entities, ticks: ticks, into: store, branch: branch, options: WriteOptions(codec: codec)) { checkpoint in
                printLine("committed \(checkpoint.id) tick \(checkpoint.tick)")
            }
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
