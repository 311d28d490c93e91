/// The prompt line's own state beside its text (which the debugger's mode
/// holds): where the cursor is, and the lines typed before, per kind of
/// prompt. It turns a key into what happens to the prompt; the debugger
/// acts on the outcome.
struct PromptEditing {
    /// Where the cursor is in the text (`nil`: at its end).
    var cursor: Int?
    /// Lines typed into prompts, for ↑ and ↓.
    var history = PromptHistory()

    /// What a key did to the prompt.
    enum Outcome: Equatable {
        /// The text is now this (typed, deleted, recalled, completed).
        case edited(String)
        /// Esc: the prompt closes, nothing runs.
        case cancelled
        /// Enter: the prompt closes and this text runs.
        case finished(String)
        /// Nothing to do (↑ with nothing older, say).
        case unchanged
    }

    /// A new prompt: the cursor at the end, no line recalled.
    mutating func reset() {
        cursor = nil
        history.reset()
    }

    /// Applies `key` to `typed`, a prompt of kind `historyKind`; Tab
    /// completes with `complete` when given (the command line).
    mutating func apply(_ key: Key, to typed: String, historyKind: String, complete: ((String) -> String)?) -> Outcome {
        if key == .tab, let complete {
            cursor = nil
            return .edited(complete(typed))
        }
        var editor = LineEditor(typed, cursor: cursor)
        switch editor.apply(key) {
        case .editing:
            cursor = editor.cursor
            return .edited(editor.text)
        case .cancelled:
            return .cancelled
        case .finished:
            history.add(typed, for: historyKind)
            return .finished(typed)
        case .older, .newer:
            guard let recalled = history.recall(older: key == .up, for: historyKind) else { return .unchanged }
            cursor = nil
            return .edited(recalled)
        }
    }
}
