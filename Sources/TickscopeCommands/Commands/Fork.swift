import ArgumentParser
import Timeline

extension Tickscope {
    /// `tickscope fork DIR --at A --name NAME`: a new branch from a checkpoint.
    struct Fork: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new branch at a checkpoint, optionally with edited values as its first checkpoint.")

        @OptionGroup var store: StoreOptions

        @Option(help: "The checkpoint to fork from: c12, a tick, or branch@tick.")
        var at: String

        @Option(help: "The new branch's name.")
        var name: String

        @Option(name: .customLong("set"), help: ArgumentHelp("Set a field: ENTITY.Component.field=VALUE (repeatable).", valueName: "assignment"))
        var assignments: [String] = []

        @Option(help: ArgumentHelp("Remove an entity from the forked world (repeatable).", valueName: "entity"))
        var despawn: [UInt64] = []

        @Option(help: ArgumentHelp(
            "Add an entity: ID:Component.field=VALUE,... (repeatable); unlisted fields of its components are zero.",
            valueName: "entity"))
        var spawn: [String] = []

        func run() throws {
            var edits: [WorldEdit] = []
            for text in assignments {
                guard let edit = WorldEdit(assignment: text) else {
                    throw CommandFailure("--set \(text): expected ENTITY.Component.field=VALUE, like 42.Health.value=10")
                }
                edits.append(edit)
            }
            edits += despawn.map { .despawn(.init($0)) }
            for text in spawn {
                guard let edit = WorldEdit(spawn: text) else {
                    throw CommandFailure("--spawn \(text): expected ID:Component.field=VALUE,..., like 9000:Health.value=100,Position.x=1")
                }
                edits.append(edit)
            }
            let store = try self.store.openForWriting()
            let base = try explainingNames(of: store, in: self.store.directory) { try store.resolve(at) }
            let result = try editing(base) { try store.fork(from: base.id, name: name, edits: edits, info: CheckpointInfo(name: "fork of \(base.id)")) }
            if let first = result.checkpoint {
                printLine("branch \(name) forked from \(base.id) (tick \(base.tick)); edited world saved as \(first.id)")
            } else {
                printLine("branch \(name) forked from \(base.id) (tick \(base.tick))")
            }
        }

        /// Runs `body`, which edits `base`'s world; an edit that does not
        /// fit it (an entity or field not there, a value out of range)
        /// becomes one line naming the store and the checkpoint.
        private func editing<T>(_ base: Checkpoint, _ body: () throws -> T) throws -> T {
            do { return try body() } catch TimelineError.invalidRequest(let reason) {
                throw CommandFailure("\(store.directory): \(base.id) (tick \(base.tick) on \(base.branch)): \(reason)")
            }
        }
    }
}
