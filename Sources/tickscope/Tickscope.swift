import ArgumentParser

/// The `tickscope` command: configuration only; each job is a subcommand.
@main
struct Tickscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickscope",
        abstract: "A time-travel debugger for recorded entity-component-system simulations.",
        discussion: """
            Snapshot files are Tickscope's native columnar format (docs/FORMAT.md). \
            Encrypted files take a key from --key-file or the TICKSCOPE_KEY_FILE environment variable.
            """,
        version: "0.1.0",
        subcommands: [Inspect.self, Verify.self, Pack.self, Unpack.self, Repack.self, Key.self, Bench.self]
    )
}
