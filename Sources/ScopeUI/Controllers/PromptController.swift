/// The one-line prompts (`:`, `/`, `#`, a fork's name, an edit, a mark's
/// note, a branch's new name, the resume command): a key edits the text
/// typed (``PromptEditing``: the cursor, the history, completion of
/// commands), and Enter hands the text to what the prompt asked for.
enum PromptController {
    /// Applies `key` to the open prompt `prompt`, `typed` being its text.
    static func handle(_ key: Key, in prompt: Debugger.Prompt, typed: String, on debugger: Debugger) {
        let complete: ((String) -> String)? = prompt == .command ? { CommandLineController.complete($0, on: debugger) } : nil
        switch debugger.prompting.apply(key, to: typed, historyKind: prompt.historyKind, complete: complete) {
        case .edited(let text): debugger.mode = .prompt(prompt, text)
        case .cancelled: debugger.mode = .normal
        case .finished(let text):
            debugger.mode = .normal
            finish(prompt, text, on: debugger)
        case .unchanged: break
        }
    }

    /// Acts on a finished prompt.
    private static func finish(_ prompt: Debugger.Prompt, _ text: String, on debugger: Debugger) {
        switch prompt {
        case .command: debugger.runCommand(text)
        case .filter: debugger.applyFilter(text)
        case .entity: TableController.gotoEntity(text, on: debugger)
        case .forkName: EditingController.fork(named: text, on: debugger)
        case .renameBranch(let old): BranchesController.renameBranch(old, to: text, on: debugger)
        case .editValue: EditingController.addEdit(text, on: debugger)
        case .markNote(let letter): EditingController.setMark(letter, note: text, on: debugger)
        case .resume: ResumeController.startResume(text, on: debugger)
        }
    }
}
