/// Marks, edits and forks: bookmarking checkpoints, editing cells for the
/// next fork, and forking.
enum EditingController: Controller {
    static let group = ActionGroup.editing

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .editCell: debugger.hasRowsShown ? nil : "no rows shown"
        case .dropEdit, .clearEdits: debugger.pendingEdits.isEmpty ? "no pending edits (e)" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .setMark: debugger.mode = .markLetter(.set)
        case .jumpToMark: debugger.mode = .markLetter(.jump)
        case .editCell: beginEdit(on: debugger)
        case .dropEdit: dropEdit(on: debugger)
        case .fork: beginFork(on: debugger)
        case .clearEdits:
            debugger.forkDraft.clear()
            debugger.message = ("edits dropped", false)
        default: return false
        }
        return true
    }

    /// `e`: asks for a new value of the selected cell, starting from its
    /// pending edit when it has one.
    private static func beginEdit(on debugger: Debugger) {
        guard let cell = debugger.selectedCell, let table = debugger.table else { debugger.message = ("select a cell first", true); return }
        debugger.mode = .prompt(.editValue, debugger.pendingValue(entity: cell.entity, key: cell.key)
            ?? table.columns[debugger.selectedColumn].value(at: cell.row).description)
    }

    /// `u`: drops the selected cell's pending edit, or else the last one made.
    private static func dropEdit(on debugger: Debugger) {
        guard let dropped = debugger.forkDraft.drop(preferring: debugger.selectedCell.map { ($0.entity, $0.key) }) else {
            debugger.message = ("no edits to drop", true)
            return
        }
        let left = debugger.forkDraft.count
        debugger.message = ("dropped \(dropped); \(left) edit\(left == 1 ? "" : "s") left", false)
    }

    /// `f`: asks for the new branch's name: `fork-TICK`, numbered when taken.
    private static func beginFork(on debugger: Debugger) {
        guard let checkpoint = debugger.cursor.current else { debugger.message = ("nothing to fork from", true); return }
        var name = "fork-\(checkpoint.tick)"
        var n = 2
        while debugger.store.branches.contains(where: { $0.name == name }) { name = "fork-\(checkpoint.tick)-\(n)"; n += 1 }
        debugger.mode = .prompt(.forkName, name)
    }
}
