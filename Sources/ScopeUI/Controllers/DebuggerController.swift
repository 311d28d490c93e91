/// The debugger itself: the `:` command line, the help overlay, quitting.
enum DebuggerController: Controller {
    static let group = ActionGroup.debugger

    static func unavailability(of action: Action, in debugger: Debugger) -> String? { nil }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .commandLine: debugger.mode = .prompt(.command, "")
        case .help: debugger.mode = .help(0)
        case .quit: debugger.isFinished = true
        default: return false
        }
        return true
    }
}
