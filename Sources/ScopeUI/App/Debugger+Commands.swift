import Foundation
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

extension Debugger {
    /// Runs a command line: a tick, a checkpoint reference, an action's
    /// name, or a command with an argument.
    public func runCommand(_ line: String) {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }
        let name = String(text.prefix { $0 != " " })
        let argument = text.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        if UInt64(name) != nil || CheckpointID(name) != nil || name.contains("@") {
            goto(text)
            return
        }
        // `:sort` and `:filter` alone clear, as the help says (their keys cycle and prompt).
        if argument.isEmpty, name == "sort" || name == "filter" {
            if name == "sort" { sortCommand("") } else { applyFilter("") }
            return
        }
        if let action = Action(rawValue: name), argument.isEmpty {
            perform(action)
            return
        }
        switch name {
        case "goto": goto(argument)
        case "filter": applyFilter(argument)
        case "query": runQuery(argument)
        case "sort": sortCommand(argument)
        case "entity": gotoEntity(argument)
        case "branch": switchBranch(to: argument)
        case "diverge": showDivergence(with: argument.isEmpty ? nil : argument)
        case "diff-base":
            if argument.isEmpty || argument == "previous" { useMark("-", for: .diffBase); return }
            do { session.diffBase = try store.resolve(argument).id; session.showsDiff = true; try load() } catch { message = (error.description, true) }
        case "fork": fork(named: argument)
        case "delete-branch": deleteBranch(named: argument)
        case "rename-branch": renameBranch(to: argument)
        case "export": exportView(to: argument, replacing: false)
        case "export!": exportView(to: argument, replacing: true)
        case "set": addEdit(argument)
        case "mark":
            guard let letter = argument.first, letter.isLetter, argument.count == 1 || argument.dropFirst().first == " " else {
                message = ("mark LETTER [NOTE]", true); return
            }
            setMark(letter, note: argument.dropFirst().trimmingCharacters(in: .whitespaces))
        case "watch":
            guard let aggregate = Series.Aggregate(rawValue: argument.isEmpty ? "max" : argument) else { message = ("watch count, min, max or mean", true); return }
            pinAggregates([aggregate])
        case "unwatch": perform(.unpinAll)
        case "speed":
            guard let value = Double(argument), value > 0, value <= 1000 else { message = ("speed takes checkpoints a second, 0 to 1000", true); return }
            speed = value
        case "theme":
            if let problem = brokenThemes[argument] { message = (problem, true); return }
            guard let chosen = themes[argument] else { message = ("no theme \(argument) (\(themes.keys.sorted().joined(separator: ", ")))", true); return }
            theme = theme.box == .ascii ? chosen.ascii : chosen
        default:
            message = ("no command \(name); Tab completes, ? lists them", true)
        }
    }

    private func goto(_ reference: String) {
        do { try seek(to: reference) } catch { message = (error.description, true) }
    }

    private func sortCommand(_ argument: String) {
        guard let table else { return }
        let words = argument.split(separator: " ")
        guard let first = words.first else {
            let following = selectedCell?.entity
            tableState.sort = nil
            reorder()
            if let following { tableState.select(following, in: table) }
            message = ("unsorted", false)
            return
        }
        guard let column = table.keys.firstIndex(where: { $0.description == first }) else { message = ("this archetype has no \(first)", true); return }
        tableState.sort = (table.keys[column], words.dropFirst().first == "desc")
        tableState.selectedColumn = column
        tableState.selectedRow = 0; tableState.topRow = 0
        reorder()
    }

    /// Every word the command line knows: actions, commands and the
    /// arguments that can be listed.
    func completions(for text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 {
            let names = Action.allCases.map(\.rawValue) + CommandWithArgument.all.map(\.name)
            return Array(Set(names)).filter { $0.hasPrefix(text) }.sorted()
        }
        let partial = words.last ?? ""
        let candidates: [String]
        switch words[0] {
        case "theme": candidates = themes.keys.sorted()
        case "branch", "diverge", "delete-branch": candidates = store.branches.map(\.name)
        case "watch": candidates = Series.Aggregate.allCases.map(\.rawValue)
        case "sort", "filter": candidates = table?.keys.map(\.description) ?? []
        default: candidates = []
        }
        let head = words.dropLast().joined(separator: " ") + " "
        return candidates.filter { $0.hasPrefix(partial) }.map { head + $0 }
    }

    /// Tab on the command line: the longest common prefix of the
    /// completions; with several, they are listed in the status line.
    func complete(_ text: String) -> String {
        let options = completions(for: text)
        guard let first = options.first else { message = ("nothing completes \(text)", true); return text }
        if options.count == 1 { return first + (CommandWithArgument.all.contains { $0.name == first && !$0.argument.isEmpty } ? " " : "") }
        var prefix = first
        for option in options.dropFirst() { while !option.hasPrefix(prefix) { prefix.removeLast() } }
        message = (options.map { $0.split(separator: " ").last.map(String.init) ?? $0 }.joined(separator: "  "), false)
        return prefix
    }
}
