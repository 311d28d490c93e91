import FoundationEssentials
import PackCodec
import Timeline

/// A `:` command that takes an argument (every ``Action`` is a command too,
/// by its name).
public struct CommandWithArgument: Sendable {
    /// The word typed after `:`.
    public var name: String
    /// What follows it, as the help shows it.
    public var argument: String
    /// What it does.
    public var summary: String

    /// The commands beyond the actions; the help overlay lists them.
    public static let all: [CommandWithArgument] = [
        .init(name: "goto", argument: "TICK|c12|branch@tick", summary: "go to a checkpoint (a bare tick or id works too)"),
        .init(name: "filter", argument: "EXPRESSION", summary: "filter rows; no expression clears"),
        .init(name: "query", argument: "QUERY", summary: "run a query on this branch (docs/QUERY.md) and go to its first row; } and { walk them"),
        .init(name: "sort", argument: "Component.field [desc]", summary: "sort by a column; no column clears"),
        .init(name: "entity", argument: "ID", summary: "go to an entity"),
        .init(name: "branch", argument: "NAME", summary: "switch branch"),
        .init(name: "diverge", argument: "[BRANCH]", summary: "first checkpoint where this branch and BRANCH differ"),
        .init(name: "diff-base", argument: "REF|previous", summary: "diff against a checkpoint, or the previous one again"),
        .init(name: "fork", argument: "NAME", summary: "fork a branch here with the edits"),
        .init(name: "delete-branch", argument: "NAME", summary: "delete a branch and its own checkpoints (undo a fork)"),
        .init(name: "rename-branch", argument: "NEW", summary: "give the branch shown a new name"),
        .init(name: "set", argument: "VALUE", summary: "edit the selected cell for the next fork"),
        .init(name: "mark", argument: "LETTER [NOTE]", summary: "mark this checkpoint"),
        .init(name: "watch", argument: "count|min|max|mean", summary: "pin an aggregate of the selected column over the filter"),
        .init(name: "unwatch", argument: "", summary: "remove all watches"),
        .init(name: "speed", argument: "N", summary: "checkpoints a second when playing"),
        .init(name: "theme", argument: "NAME", summary: "switch theme"),
        .init(name: "export", argument: "PATH", summary: "write the view (rows shown, columns not hidden) as CSV; export! replaces a file"),
    ]
}

/// The `:` command line: a tick or a checkpoint reference goes there, an
/// action's name does the action, and the commands of
/// ``CommandWithArgument/all`` take their argument; Tab completes command
/// names and the arguments that can be listed (themes, branches,
/// aggregates, columns). The help overlay lists what it runs.
///
/// ```swift
/// CommandLineController.run("sort Health.value desc", on: debugger)
/// CommandLineController.completions(for: "the", on: debugger)   // ["theme"]
/// ```
enum CommandLineController {
    /// Runs a command line: a tick, a checkpoint reference, an action's
    /// name, or a command with an argument.
    static func run(_ line: String, on debugger: Debugger) {
        let text = line.trimmingBlanks
        guard !text.isEmpty else { return }
        let name = String(text.prefix { $0 != " " })
        let argument = text.dropFirst(name.count).trimmingBlanks
        if UInt64(name) != nil || CheckpointID(name) != nil || name.contains("@") {
            goto(text, on: debugger)
            return
        }
        // `:sort` and `:filter` alone clear, as the help says (their keys cycle and prompt).
        if argument.isEmpty, name == "sort" || name == "filter" {
            if name == "sort" { sortCommand("", on: debugger) } else { debugger.applyFilter("") }
            return
        }
        if let action = Action(rawValue: name), argument.isEmpty {
            debugger.perform(action)
            return
        }
        switch name {
        case "goto": goto(argument, on: debugger)
        case "filter": debugger.applyFilter(argument)
        case "query": ResultsController.runQuery(argument, on: debugger)
        case "sort": sortCommand(argument, on: debugger)
        case "entity": TableController.gotoEntity(argument, on: debugger)
        case "branch": BranchesController.switchBranch(to: argument, on: debugger)
        case "diverge": BranchesController.showDivergence(with: argument.isEmpty ? nil : argument, on: debugger)
        case "diff-base":
            if argument.isEmpty || argument == "previous" { EditingController.useMark("-", for: .diffBase, on: debugger); return }
            do { debugger.session.diffBase = try debugger.store.resolve(argument).id; debugger.session.showsDiff = true; try debugger.load() } catch { debugger.message = (error.description, true) }
        case "fork": EditingController.fork(named: argument, on: debugger)
        case "delete-branch": BranchesController.deleteBranch(named: argument, on: debugger)
        case "rename-branch": BranchesController.renameBranch(to: argument, on: debugger)
        case "export": export(to: argument, replacing: false, on: debugger)
        case "export!": export(to: argument, replacing: true, on: debugger)
        case "set": EditingController.addEdit(argument, on: debugger)
        case "mark":
            guard let letter = argument.first, letter.isLetter, argument.count == 1 || argument.dropFirst().first == " " else {
                debugger.message = ("mark LETTER [NOTE]", true); return
            }
            EditingController.setMark(letter, note: argument.dropFirst().trimmingBlanks, on: debugger)
        case "watch":
            guard let aggregate = Series.Aggregate(rawValue: argument.isEmpty ? "max" : argument) else { debugger.message = ("watch count, min, max or mean", true); return }
            WatchingController.pinAggregates([aggregate], on: debugger)
        case "unwatch": debugger.perform(.unpinAll)
        case "speed":
            guard let value = Double(argument), value > 0, value <= 1000 else { debugger.message = ("speed takes checkpoints a second, 0 to 1000", true); return }
            debugger.speed = value
        case "theme":
            if let problem = debugger.brokenThemes[argument] { debugger.message = (problem, true); return }
            guard let chosen = debugger.themes[argument] else { debugger.message = ("no theme \(argument) (\(debugger.themes.keys.sorted().joined(separator: ", ")))", true); return }
            debugger.theme = debugger.theme.box == .ascii ? chosen.ascii : chosen
        default:
            debugger.message = ("no command \(name); Tab completes, ? lists them", true)
        }
    }

    /// `:export PATH` (`:export! PATH` replaces a file): the view as CSV
    /// (``TableExport``).
    private static func export(to path: String, replacing: Bool, on debugger: Debugger) {
        guard let table = debugger.table else { debugger.message = ("nothing to export", true); return }
        let trimmed = path.trimmingBlanks
        guard !trimmed.isEmpty else { debugger.message = ("export takes a file name, like :export view.csv", true); return }
        if let store = StoreFiles.store(owning: trimmed) {
            debugger.message = ("\(trimmed) is a file of the checkpoint store \(store), which stays as it is; export elsewhere", true)
            return
        }
        if !replacing, FileManager.default.fileExists(atPath: trimmed) {
            debugger.message = ("\(trimmed) exists; :export! \(trimmed) replaces it", true)
            return
        }
        let export = TableExport(table: table, state: debugger.tableState)
        do {
            try writeFileAtomically(export.csv(), to: trimmed)
            debugger.message = ("wrote \(export.rowCount) row\(export.rowCount == 1 ? "" : "s") and \(export.columns.count + 1) columns to \(trimmed)", false)
        } catch {
            debugger.message = ("export: \(trimmed): \(error.description)", true)
        }
    }

    /// Goes to the checkpoint `reference` names. A tick between two
    /// recorded ones (tick 5 of a recording of every fourth tick) goes to
    /// the last checkpoint before it, and the status line says so and
    /// names the next; a tick outside the timeline is an error naming its
    /// range.
    private static func goto(_ reference: String, on debugger: Debugger) {
        do { try debugger.seek(to: reference) } catch {
            guard case .unknownCheckpoint = error else { debugger.message = (error.description, true); return }
            if let (before, after) = debugger.store.catalog.neighbours(of: reference, onBranch: debugger.branch) {
                do { try debugger.show(before) } catch { debugger.message = (error.description, true); return }
                let tick = reference.split(separator: "@").last.map(String.init) ?? reference
                debugger.message = ("no checkpoint at tick \(tick): showing tick \(before.tick) (\(before.id)), the last before it; the next is tick \(after.tick) (\(after.id))", false)
                return
            }
            let line = debugger.session.cursor.checkpoints
            let range = line.first.map { " (\(debugger.branch): ticks \($0.tick)…\(line.last!.tick))" } ?? ""
            debugger.message = (error.description + range, true)
        }
    }

    private static func sortCommand(_ argument: String, on debugger: Debugger) {
        guard let table = debugger.table else { return }
        let words = argument.split(separator: " ")
        guard let first = words.first else {
            let following = debugger.selectedCell?.entity
            debugger.tableState.sort = nil
            debugger.reorder()
            if let following { debugger.tableState.select(following, in: table) }
            debugger.message = ("unsorted", false)
            return
        }
        guard let column = table.keys.firstIndex(where: { $0.description == first }) else { debugger.message = ("this archetype has no \(first)", true); return }
        debugger.tableState.sort = (table.keys[column], words.dropFirst().first == "desc")
        debugger.tableState.selectedColumn = column
        debugger.tableState.selectedRow = 0; debugger.tableState.topRow = 0
        debugger.reorder()
    }

    /// Every word the command line knows: actions, commands and the
    /// arguments that can be listed.
    static func completions(for text: String, on debugger: Debugger) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 {
            let names = Action.allCases.map(\.rawValue) + CommandWithArgument.all.map(\.name)
            return Array(Set(names)).filter { $0.hasPrefix(text) }.sorted()
        }
        let partial = words.last ?? ""
        let candidates: [String]
        switch words[0] {
        case "theme": candidates = debugger.themes.keys.sorted()
        case "branch", "diverge", "delete-branch": candidates = debugger.store.branches.map(\.name)
        case "watch": candidates = Series.Aggregate.allCases.map(\.rawValue)
        case "sort", "filter": candidates = debugger.table?.keys.map(\.description) ?? []
        default: candidates = []
        }
        let head = words.dropLast().joined(separator: " ") + " "
        return candidates.filter { $0.hasPrefix(partial) }.map { head + $0 }
    }

    /// Tab on the command line: the longest common prefix of the
    /// completions; with several, they are listed in the status line.
    static func complete(_ text: String, on debugger: Debugger) -> String {
        let options = completions(for: text, on: debugger)
        guard let first = options.first else { debugger.message = ("nothing completes \(text)", true); return text }
        if options.count == 1 { return first + (CommandWithArgument.all.contains { $0.name == first && !$0.argument.isEmpty } ? " " : "") }
        var prefix = first
        for option in options.dropFirst() { while !option.hasPrefix(prefix) { prefix.removeLast() } }
        debugger.message = (options.map { $0.split(separator: " ").last.map(String.init) ?? $0 }.joined(separator: "  "), false)
        return prefix
    }
}

extension Debugger {
    /// Runs a command line as `:` does (``CommandLineController``).
    public func runCommand(_ line: String) { CommandLineController.run(line, on: self) }
}
