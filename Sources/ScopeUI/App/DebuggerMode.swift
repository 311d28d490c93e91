/// What the keyboard is doing and where the row keys move: the states
/// ``Debugger/handle(_:)`` routes a key by.
extension Debugger {
    /// What the keyboard is doing.
    public enum Mode: Equatable, Sendable {
        case normal
        /// The help overlay, scrolled to a line.
        case help(Int)
        /// A one-line prompt and the text typed so far.
        case prompt(Prompt, String)
        /// The next letter names a mark.
        case markLetter(MarkUse)
        /// The selected column's distribution, over the screen.
        case distribution(DistributionView)
        /// The branch list, a line selected; whether `d` asked to confirm.
        case branches(selected: Int, confirmingDelete: Bool)
    }

    /// What a prompt asks for.
    public enum Prompt: Equatable, Sendable {
        case command, filter, entity, forkName, editValue
        /// A new name for a branch of the branch list.
        case renameBranch(String)
        case markNote(Character)
        /// The resume command, shown (and editable) before it runs.
        case resume

        /// Prompts that share their ↑/↓ history.
        var historyKind: String {
            switch self {
            case .command: "command"
            case .filter: "filter"
            case .entity: "entity"
            case .forkName: "fork"
            case .renameBranch: "rename"
            case .editValue: "edit"
            case .markNote: "mark"
            case .resume: "resume"
            }
        }
    }

    /// What a mark letter is for.
    public enum MarkUse: Equatable, Sendable { case set, jump, diffBase }

    /// The part of the screen the row keys move in.
    public enum Pane: Equatable, Sendable { case archetypes, table, inspector, results }
}
