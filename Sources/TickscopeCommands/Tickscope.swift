import ArgumentParser
import CMalloc

/// The `tickscope` command: configuration only; each job is a subcommand.
/// The executable's `main.swift` calls ``TickscopeCommandLine/run()``.
struct Tickscope: ParsableCommand {
    /// Tunes the allocator, then runs the command line.
    ///
    /// Columns are large (4 MB for a million `f32`), and glibc serves
    /// blocks above its mmap threshold (at most 32 MB) with fresh pages that
    /// fault in at 1–2 GB/s, against 13–16 GB/s for reused memory. Scrubbing a
    /// timeline decodes and frees same-sized columns over and over, so
    /// keeping freed memory in the heap makes every decode after the first
    /// run at memory speed.
    ///
    /// One arena for all threads: columns decoded on the worker threads
    /// otherwise land in per-thread arenas, whose freed tops `malloc_trim`
    /// does not return, so the memory held with a world open varied from
    /// 1.8x to 2.8x its payload from run to run; with one arena it is a
    /// steady 1.8x, and steps are no slower (allocations are few and large,
    /// so the shared lock is not contended). The C function is `mallopt`.
    static func main() {
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        _ = mallopt(M_ARENA_MAX, 1)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "tickscope",
        abstract: "A time-travel debugger for recorded entity-component-system simulations.",
        discussion: """
            Snapshot files are Tickscope's native columnar format (docs/FORMAT.md). \
            Encrypted files take a key from --key-file or the TICKSCOPE_KEY_FILE environment variable.
            """,
        version: "0.1.0",
        subcommands: [
            Open.self, Inspect.self, Verify.self, Pack.self, Unpack.self, Repack.self, Key.self,
            Record.self, Log.self, Diff.self, QueryCommand.self, Diverge.self, BranchCommand.self, Fork.self, Config.self, Prune.self, GC.self, Recover.self, Export.self, Import.self, Convert.self, XS.self, Bundle.self, Unbundle.self, Bench.self,
        ],
        defaultSubcommand: Open.self
    )
}

/// The command line as a library: the `tickscope` executable is this one
/// call, and tests parse commands without importing an executable.
package enum TickscopeCommandLine {
    /// Parses the process's arguments, runs the command and exits.
    package static func run() {
        Tickscope.main()
    }
}
