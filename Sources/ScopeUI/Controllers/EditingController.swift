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
        case .editCell: debugger.beginEdit()
        case .dropEdit: debugger.dropEdit()
        case .fork: debugger.beginFork()
        case .clearEdits:
            debugger.forkDraft.clear()
            debugger.message = ("edits dropped", false)
        default: return false
        }
        return true
    }
}
