import Foundation
import PackCodec
import Testing
import Timeline
@testable import ScopeUI

/// Every key and every `:` command the help lists, exercised: each, typed
/// as a user would on the ecosystem sample, visibly does something (the
/// screen, the mode or the status line changes) and never ends the session
/// except `q`. The features' own tests check what each does in detail.
@Suite(.serialized) struct KeyAuditTests {
    /// The screen text, the mode and the status line: what a user sees change.
    static func seen(_ debugger: Debugger) -> String {
        debugger.screen(width: 120, height: 30).text + "\(debugger.mode)" + (debugger.message?.text ?? "")
    }

    @Test("every action in the help, by its key (or :name when unbound), changes what the user sees", arguments: Action.allCases)
    func everyAction(action: Action) throws {
        let path = try FeatureTests.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // At tick 100 on the animals, filtered, a cell of entity 265 selected, a mark, a query run and the inspector open: every action has something to act on.
        let debugger = try FeatureTests.debugger(CheckpointStore.open(path),
                                                 keys: "m a ENTER a / TEXT:Health.value<50 ENTER # 2 6 5 ENTER RIGHT RIGHT RIGHT i : TEXT:query SPACE TEXT:Health.value<0 ENTER TAB TAB", at: "100")
        debugger.finishPendingWork()
        #expect(debugger.focus == .table, "\(debugger.focus)")
        let before = Self.seen(debugger)
        if let key = debugger.keyMap.keys(for: action).first {
            debugger.handle(key)
        } else {
            try FeatureTests.press(": TEXT:\(action.rawValue) ENTER", on: debugger)
        }
        debugger.finishPendingWork()
        #expect(Self.seen(debugger) != before || debugger.isFinished, "\(action.rawValue) changed nothing a user can see")
        #expect(debugger.isFinished == (action == .quit))
    }

    @Test("every action is answered by the controller of its group and by no other", arguments: Action.allCases)
    func controllers(action: Action) throws {
        let debugger = try FeatureTests.debugger(keys: "a")
        for group in ActionGroup.allCases where group != action.group {
            let other = group.controller
            let answered = other.perform(action, on: debugger), reason = other.unavailability(of: action, in: debugger)
            #expect(!answered, "\(other) answers \(action.rawValue) of \(action.group)")
            #expect(reason == nil, "\(other) has a reason for \(action.rawValue)")
        }
        let own = action.group.controller
        #expect(own.group == action.group)
        let answered = own.perform(action, on: debugger)
        #expect(answered, "\(own) does not answer \(action.rawValue)")
    }

    @Test("every :command in the help, with an argument a user would type, changes what the user sees", arguments: CommandWithArgument.all.map(\.name))
    func everyCommand(name: String) throws {
        let path = try FeatureTests.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arguments = [
            "goto": "50", "filter": "Health.value < 20", "query": "count(Health.value < 0)", "sort": "Health.value desc", "entity": "265",
            "branch": "fork-100", "diverge": "main", "diff-base": "c50", "fork": "another", "delete-branch": "fork-100",
            "rename-branch": "renamed", "set": "1000", "mark": "z the bite", "watch": "mean", "unwatch": "", "speed": "20", "theme": "mono",
            "export": path + "/view.csv",
        ]
        let argument = try #require(arguments[name], "the audit has no argument for :\(name); add one")
        // On the fork made at tick 100, entity 265's Health selected, a watch pinned.
        let debugger = try FeatureTests.debugger(CheckpointStore.open(path), keys: "a # 2 6 5 ENTER RIGHT RIGHT RIGHT f ENTER W", at: "100")
        #expect(debugger.branch == "fork-100")
        debugger.themes = ["mono": .monochrome]
        let before = Self.seen(debugger)
        try FeatureTests.press(": TEXT:\(name)" + (argument.isEmpty ? "" : " SPACE " + argument.split(separator: " ").map { "TEXT:\($0)" }.joined(separator: " SPACE ")) + " ENTER", on: debugger)
        debugger.finishPendingWork()
        #expect(Self.seen(debugger) != before, ":\(name) \(argument) changed nothing a user can see")
        #expect(debugger.message?.isError != true, ":\(name) \(argument): \(debugger.message?.text ?? "")")
        #expect(!debugger.isFinished)
    }
}

/// The README's key table and the key map the help overlay is generated
/// from say the same thing.
@Suite struct ReadmeKeyTableTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md").path

    /// The first cell of each row of the table under `| keys | what |`.
    static func keyCells() throws -> [String] {
        let lines = try String(contentsOfFile: readme, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex { $0.hasPrefix("| keys | what |") })
        return lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            String(line.dropFirst().prefix { $0 != "|" })
        }
    }

    @Test("every standard binding is in the README's key table, and every key the table names is bound")
    func tableMatchesKeyMap() throws {
        let cells = try Self.keyCells()
        #expect(cells.count > 20)
        let firstColumn = cells.joined(separator: " ")
        // Single characters in backticks: `l`, `$`, `'`.
        var named = Set<Character>()
        for cell in cells {
            for (index, piece) in cell.split(separator: "`", omittingEmptySubsequences: false).enumerated() where index % 2 == 1 && piece.count == 1 {
                named.insert(piece.first!)
            }
        }
        for binding in KeyMap.standard.bindings {
            switch binding.key {
            case .character(" "):
                #expect(firstColumn.contains("space"), "the play key")
            case .character(let character):
                #expect(named.contains(character), "\(character) (\(binding.action.rawValue)) is bound but not in the README's key table")
            case .escape:
                // Esc cancels or clears in every mode; the table says so in its rows' text.
                continue
            default:
                #expect(firstColumn.contains(binding.key.label), "\(binding.key.label) (\(binding.action.rawValue)) is not in the README's key table")
            }
        }
        for character in named {
            #expect(KeyMap.standard.action(for: .character(character)) != nil, "the README's key table names `\(character)`, which no key binds")
        }
    }
}

extension KeyAuditTests {
    /// The help's reasons and the keys' own guards are two statements of
    /// when an action can act: this holds them to each other. On the
    /// sample's first checkpoint (no filter, query, lifeline, edits or
    /// second branch), every action the help calls unavailable changes
    /// nothing but the status line when its key is pressed.
    @Test("an action the help says cannot act now changes nothing on screen but the status line", arguments: Action.allCases)
    func unavailableActionsDoNothing(action: Action) throws {
        let debugger = try FeatureTests.debugger()
        guard let reason = debugger.unavailability(of: action), let key = debugger.keyMap.keys(for: action).first else { return }
        let before = debugger.screen(width: 120, height: 30).lines.dropLast()
        let cursor = (debugger.cursor.position, debugger.selectedRow, debugger.selectedColumn, debugger.archetypeIndex, debugger.branch)
        debugger.handle(key)
        debugger.finishPendingWork()
        #expect(debugger.mode == .normal, "\(action.rawValue) (\(reason)) opened \(debugger.mode)")
        #expect(debugger.screen(width: 120, height: 30).lines.dropLast() == before, "\(action.rawValue) (\(reason)) changed the screen")
        #expect((debugger.cursor.position, debugger.selectedRow, debugger.selectedColumn, debugger.archetypeIndex, debugger.branch) == cursor)
    }
}
