/// The keys of one part of the debugger, on the pattern of lazygit's
/// controllers: for the actions of one ``ActionGroup``, why each cannot act
/// here and now (what the help overlay shows beside it) and what each does.
/// The help overlay lists each group's actions under its heading, with the
/// keys the key map binds to them; `:` runs them by name.
///
/// Controllers hold no state: what they change is the ``Debugger``'s (its
/// session, its table state, its mode). One is found by the action's group:
///
/// ```swift
/// let controller = Action.sort.group.controller    // ColumnsController
/// controller.unavailability(of: .sort, in: debugger)   // "no table shown", or nil
/// _ = controller.perform(.sort, on: debugger)
/// ```
protocol Controller {
    /// The group whose actions this controller answers.
    static var group: ActionGroup { get }
    /// Why `action` can do nothing now (`nil`: it can act). The key still
    /// answers with a message when pressed.
    static func unavailability(of action: Action, in debugger: Debugger) -> String?
    /// Does `action`.
    /// - Returns: `false` when `action` is not one of this group's.
    static func perform(_ action: Action, on debugger: Debugger) -> Bool
}

extension ActionGroup {
    /// The controller that answers this group's actions.
    var controller: any Controller.Type {
        switch self {
        case .time: TimeController.self
        case .table: TableController.self
        case .columns: ColumnsController.self
        case .changes: ChangesController.self
        case .watching: WatchingController.self
        case .editing: EditingController.self
        case .branches: BranchesController.self
        case .debugger: DebuggerController.self
        }
    }
}
