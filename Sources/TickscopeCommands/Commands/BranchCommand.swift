import ArgumentParser
import Interop
import Timeline

extension Tickscope {
    /// `tickscope branch list|rename|delete`: a store's branches.
    struct BranchCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "branch", abstract: "List a store's branches, rename one, or delete one (how a fork is undone).",
            subcommands: [List.self, Rename.self, Delete.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the branches: where each was forked, its checkpoints and ticks.")
            @OptionGroup var store: StoreOptions
            @Flag(help: "Print one JSON array.") var json = false

            func run() throws {
                let timeline = try store.openTimeline()
                let opened = timeline.store
                var rows: [(name: String, fork: String, own: [Checkpoint])] = []
                for branch in opened.branches {
                    let own = opened.checkpoints.filter { $0.branch == branch.name }
                    let fork = branch.forkedFrom.map { id in opened.checkpoint(id).map { "\(id) (tick \($0.tick))" } ?? "\(id) (deleted)" } ?? "-"
                    rows.append((branch.name, fork, own))
                }
                var output = StandardOutput()
                if json {
                    output.line(JSONValue.array(rows.map { row in
                        .object([
                            ("name", .string(row.name)), ("forked_from", row.fork == "-" ? .null : .string(row.fork)),
                            ("checkpoints", .number(String(row.own.count))),
                            ("first_tick", row.own.first.map { .number(String($0.tick)) } ?? .null),
                            ("last_tick", row.own.last.map { .number(String($0.tick)) } ?? .null),
                        ])
                    }).text)
                } else {
                    output.line(pad("branch", 16) + pad("forked from", 22) + padLeft("checkpoints", 12) + padLeft("ticks", 14))
                    for row in rows {
                        let ticks = row.own.first.map { "\($0.tick)..\(row.own.last!.tick)" } ?? "-"
                        output.line(pad(row.name, 16) + pad(row.fork, 22) + padLeft(String(row.own.count), 12) + padLeft(ticks, 14))
                    }
                }
                output.flush()
            }
        }

        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Give a branch a new name, in one commit; its checkpoints and fork point stay.",
                discussion: "STORE@OLD no longer resolves afterwards; the old name is free for a new branch.")
            @OptionGroup var store: StoreOptions
            @Argument(help: "The branch's name now.") var name: String
            @Argument(help: "Its new name.") var newName: String

            func run() throws {
                let opened = try store.openForWriting()
                try explainingNames(of: opened, in: store.directory) { try opened.renameBranch(name, to: newName) }
                printLine("renamed branch \(name) to \(newName)")
            }
        }

        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete a branch and its own checkpoints, in one commit (gc reclaims the space).",
                discussion: "A branch that others were forked from is refused, naming them. Checkpoint ids are never given out again.")
            @OptionGroup var store: StoreOptions
            @Argument(help: "The branch to delete.") var name: String

            func run() throws {
                let opened = try store.openForWriting()
                let gone = try explainingNames(of: opened, in: store.directory) { try opened.deleteBranch(name) }
                printLine("deleted branch \(name) and its \(counted(gone.count, "checkpoint"))" + (gone.isEmpty ? "" : " (\(gone.first!)…\(gone.last!)); `tickscope gc` reclaims their space"))
            }
        }
    }
}
