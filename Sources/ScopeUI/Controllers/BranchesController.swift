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
}
