/// Branches and resuming: the next branch, the branch list, where two
/// branches diverge, and resuming the simulation on a branch.
enum BranchesController: Controller {
    static let group = ActionGroup.branches

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .nextBranch, .diverge: debugger.store.branches.count < 2 ? "only one branch" : nil
        case .resume: debugger.resumeCommand == nil ? "this recording names no resume command" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .nextBranch: debugger.switchBranch(to: nil)
        case .branches:
            // The branch list, the branch shown selected.
            let names = debugger.store.branches.map(\.name)
            debugger.mode = .branches(selected: names.firstIndex(of: debugger.branch) ?? 0, confirmingDelete: false)
        case .diverge: debugger.showDivergence(with: nil)
        case .resume: debugger.beginResume()
        default: return false
        }
        return true
    }

    /// A key while the branch list is open (`v`): j/k or the arrows select,
    /// Enter switches to the selected branch, `r` renames it, `d` then `y`
    /// deletes it; any other key closes the list.
    static func handleListKey(_ key: Key, selected: Int, confirmingDelete: Bool, on debugger: Debugger) {
        let names = debugger.store.branches.map(\.name)
        guard names.indices.contains(selected) else { debugger.mode = .normal; return }
        if confirmingDelete {
            debugger.mode = .branches(selected: selected, confirmingDelete: false)
            guard key == .character("y") else { debugger.message = ("kept \(names[selected])", false); return }
            debugger.deleteBranch(named: names[selected])
            debugger.mode = .branches(selected: max(0, min(selected, debugger.store.branches.count - 1)), confirmingDelete: false)
            return
        }
        switch key {
        case .down, .character("j"): debugger.mode = .branches(selected: min(names.count - 1, selected + 1), confirmingDelete: false)
        case .up, .character("k"): debugger.mode = .branches(selected: max(0, selected - 1), confirmingDelete: false)
        case .enter:
            debugger.mode = .normal
            if names[selected] != debugger.branch { debugger.switchBranch(to: names[selected]) }
            debugger.message = debugger.message ?? ("branch \(debugger.branch)", false)
        case .character("r"): debugger.mode = .prompt(.renameBranch(names[selected]), names[selected])
        case .character("d"): debugger.mode = .branches(selected: selected, confirmingDelete: true)
        default: debugger.mode = .normal
        }
    }
}
