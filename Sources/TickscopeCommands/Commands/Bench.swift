import Formats
import ArgumentParser
import Interop
import PackCodec
import Simulations

extension Tickscope {
    /// `tickscope bench`: benchmarks on the workloads of bench/WORKLOADS.md.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure speed and size on the canonical workloads (bench/WORKLOADS.md).",
            subcommands: [Codec.self, Store.self, UI.self, QueryBench.self])

        /// `tickscope bench codec`.
        struct Codec: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write, open and read snapshot files of a workload with each codec.",
                discussion: """
                    Times are wall-clock milliseconds, the median of --repeat runs; files go to a \
                    temporary directory without fsync, so the codec is measured, not the disk. peak_rss_bytes \
                    is the process's peak resident memory while writing (the world itself included), reset \
                    before each row through /proc/self/clear_refs. plain_write_ms is the floor measured in the same \
                    run: a plain write of as many bytes to a new file in the same folder, then a rename; x_floor is \
                    write_ms over it. Every timed write, the snapshot's and the plain one, starts quiet: no file \
                    under its name to replace and no earlier run's pages being written back (sync, untimed).
                    """)

            @Option(help: "The workload: ramp (W1) or swarm (W2).")
            var workload: Workload = .swarm

            @Option(help: "The number of entities.")
            var entities: Int = 1_000_000

            @Option(help: "One codec to measure (default: none, lz4, zstd:1, zstd:3).")
            var codec: BlockCodec?

            @Option(help: "Runs per figure; the median is reported.")
            var `repeat`: Int = 5

            @Option(name: .customLong("format"), help: "The snapshot format version to write: 3 (default), 2 or 1, to compare.")
            var formatVersion: UInt16 = SnapshotFormat.current.rawValue

            @Flag(help: "Print a JSON array of rows instead of a table.")
            var json = false

            func validate() throws {
                guard SnapshotFormat(rawValue: formatVersion) != nil else {
                    throw ValidationError("--format must be one of \(SnapshotFormat.allCases.map { String($0.rawValue) }.joined(separator: ", "))")
                }
                guard entities >= 0, entities <= Int(Limits.maxEntitiesPerArchetype) else {
                    throw ValidationError("--entities must be between 0 and \(Limits.maxEntitiesPerArchetype)")
                }
                guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
            }

            func run() throws {
                let codecs = codec.map { [$0] } ?? [.none, .lz4, .zstd(level: 1), .zstd(level: 3)]
                let snapshot = workload.snapshot(entities: entities)
                let directory = try TemporaryDirectory()
                let path = directory.path + "/bench.tscp"
                let format = SnapshotFormat(rawValue: formatVersion)!
                let peaks = try codecs.map { try CodecBenchmarkRow.peakWhileWriting(snapshot, codec: $0, format: format, path: path) }
                var rows: [CodecBenchmarkRow] = []
                for (codec, peak) in zip(codecs, peaks) {
                    let row = try CodecBenchmarkRow.measure(
                        snapshot: snapshot, workload: workload, entities: entities, codec: codec, format: format,
                        path: path, runs: `repeat`, peak: peak)
                    rows.append(row)
                    if !json, StandardOutput.isTerminal { printProgress(row) }
                }
                var output = StandardOutput()
                if json {
                    output.line(JSONValue.array(rows.map(\.json)).text)
                } else {
                    for line in CodecBenchmarkRow.table(rows) { output.line(line) }
                }
                output.flush()
            }

            private func printProgress(_ row: CodecBenchmarkRow) {
                var output = StandardOutput()
                output.line("measured \(row.codec)")
                output.flush()
            }
        }
    }
}

extension Tickscope.Bench {
    /// `tickscope bench store`.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record W3 into a checkpoint store and time saving, opening, seeking and diffing.",
            discussion: """
                Bytes on disk are compared with (T+1) standalone snapshot files of the same codec (zstd:1). Times are \
                wall-clock medians; saves include the fsyncs of a real commit.
                """)

        @Option(help: "Entities at tick 0.") var entities: Int = 100_000
        @Option(help: "Ticks after tick 0.") var ticks: Int = 100
        @Option(help: "Runs per open, seek and diff figure.") var `repeat`: Int = 9
        @Flag(help: "Record into an encrypted store (a random key), to measure what encryption costs.") var encrypted = false
        @Flag(help: "Print a JSON object instead of text.") var json = false

        func validate() throws {
            guard entities > 0, entities <= 1 << 26 else { throw ValidationError("--entities must be between 1 and \(1 << 26)") }
            guard ticks >= 1 else { throw ValidationError("--ticks must be at least 1") }
            guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        }

        func run() throws {
            let directory = try TemporaryDirectory()
            let result = try StoreBenchmark.measure(
                entities: entities, ticks: ticks, runs: `repeat`, directory: directory.path, key: encrypted ? EncryptionKey.random() : nil)
            var output = StandardOutput()
            if json { output.line(result.json.text) } else { for line in result.text { output.line(line) } }
            output.flush()
        }
    }
}

extension Tickscope.Bench {
    /// `tickscope bench ui`.
    struct UI: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive the debugger headless over a recorded W3 store: step, sort, filter, start-up, memory.",
            discussion: """
                Records W3 (zstd:1) into a temporary store, then steps forward through every checkpoint and back, \
                drawing a 160x48 screen each time; sorts by Position.x and filters on Health.value and Position.x \
                at the last checkpoint; times opening the ecosystem sample to its first screen; and reads the \
                resident memory with the world open, at rest on the last checkpoint after jumping there and after stepping onto it \
                (the text says both). Wall-clock milliseconds.
                """)

        @Option(help: "Entities at tick 0.") var entities: Int = 1_000_000
        @Option(help: "Ticks after tick 0.") var ticks: Int = 100
        @Option(help: "Milliseconds between a frame and the next key (33: a held key's repeat); 0 sends keys back to back.")
        var pace: Int = 0
        @Option(help: "The steps: there-and-back (forward through every checkpoint, then back) or toggle (onto each checkpoint, back and forward again).")
        var walk: UIBenchmark.Walk = .thereAndBack
        @Flag(help: "Print a JSON object with exactly the keys entities, step_ms_median, step_ms_p99, sort_ms, filter_ms, startup_ms, rss_bytes.")
        var json = false

        func validate() throws {
            guard entities > 0, entities <= 1 << 26 else { throw ValidationError("--entities must be between 1 and \(1 << 26)") }
            guard ticks >= 1 else { throw ValidationError("--ticks must be at least 1") }
            guard (0...1000).contains(pace) else { throw ValidationError("--pace must be between 0 and 1000 milliseconds") }
        }

        func run() throws {
            let directory = try TemporaryDirectory()
            let sample = ResourcePaths.find("SampleWorlds/ecosystem", containing: "MANIFEST")
            let result = try UIBenchmark.measure(entities: entities, ticks: ticks, pace: pace, walk: walk, samplePath: sample, directory: directory.path)
            var output = StandardOutput()
            if json { output.line(result.json.text) } else { for line in result.text { output.line(line) } }
            output.flush()
        }
    }
}

extension Tickscope.Bench {
    /// `tickscope bench query`.
    struct QueryBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Time the query engine and diverge over W3 recordings: a full scan, a series, the first difference.",
            discussion: """
                Records W3 (zstd:1) twice into a temporary folder, the second with entity 0's health raised by 1 \
                from --part-at on; then times `first tick where Health.value < 0` (which matches nothing: a full \
                scan), `count(Health.value < 10)` at every checkpoint, and diverge between the two. Each on fresh \
                store handles, median of 3, wall-clock milliseconds.
                """)

        @Option(help: "Entities at tick 0.") var entities: Int = 100_000
        @Option(help: "Ticks after tick 0.") var ticks: Int = 100
        @Option(help: "The tick from which the second recording differs.") var partAt: Int = 60
        @Flag(help: "Print a JSON object with the keys entities, checkpoints, scan_ms, series_ms, diverge_ms, diverge_tick, scan_rss_bytes, snapshot_bytes.")
        var json = false

        func validate() throws {
            guard entities > 0, entities <= 1 << 26 else { throw ValidationError("--entities must be between 1 and \(1 << 26)") }
            guard ticks >= 1, partAt >= 0, partAt <= ticks else { throw ValidationError("--ticks must be at least 1 and --part-at within 0...ticks") }
        }

        func run() throws {
            let directory = try TemporaryDirectory()
            let result = try QueryBenchmark.measure(entities: entities, ticks: ticks, partAt: partAt, directory: directory.path)
            var output = StandardOutput()
            if json { output.line(result.json.text) } else { for line in result.text { output.line(line) } }
            output.flush()
        }
    }
}

extension Workload: ExpressibleByArgument {}
