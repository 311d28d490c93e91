import PackCodec
import Timeline

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

    /// A mark letter was typed after m, ' or D.
    static func useMark(_ letter: Character, for use: Debugger.MarkUse, on debugger: Debugger) {
        switch use {
        case .set:
            debugger.mode = .prompt(.markNote(letter), debugger.marks[letter]?.note ?? "")
        case .jump:
            guard let mark = debugger.marks[letter] else { debugger.message = ("no mark \(letter)", true); return }
            guard let checkpoint = debugger.store.checkpoint(mark.checkpoint) else { debugger.message = ("mark \(letter): \(mark.checkpoint) is gone", true); return }
            do { try debugger.show(checkpoint) } catch { debugger.message = (error.description, true); return }
            debugger.message = ("mark \(letter): \(mark.checkpoint)" + (mark.note.isEmpty ? "" : " — \(mark.note)"), false)
        case .diffBase:
            if letter == "-" {
                debugger.session.diffBase = nil
                debugger.message = ("diff against the previous checkpoint", false)
            } else {
                guard let mark = debugger.marks[letter] else { debugger.message = ("no mark \(letter)", true); return }
                debugger.session.diffBase = mark.checkpoint
                debugger.message = ("diff against mark \(letter) (\(mark.checkpoint)); D - goes back to the previous checkpoint", false)
            }
            debugger.session.showsDiff = true
            debugger.reload()
        }
    }

    /// Finishes `m LETTER NOTE`.
    static func setMark(_ letter: Character, note: String, on debugger: Debugger) {
        guard let checkpoint = debugger.cursor.current else { return }
        do {
            try debugger.marks.set(letter, to: checkpoint.id, note: note, in: debugger.store)
            debugger.message = ("mark \(letter) set at \(checkpoint.id) (' \(letter) jumps back)", false)
        } catch {
            debugger.message = ("could not save the mark: \(error.description)", true)
        }
    }

    /// Checks the typed value against the field's type and keeps the edit.
    static func addEdit(_ text: String, on debugger: Debugger) {
        guard let cell = debugger.selectedCell, let table = debugger.table else { return }
        do { try debugger.forkDraft.set(cell.entity, cell.key, to: text, type: table.columns[debugger.selectedColumn].type) } catch {
            debugger.message = ("\(cell.key): \(error.description)", true); return
        }
        if let checkpoint = debugger.cursor.current, Snapshot.derivedFields(in: checkpoint.metadata).contains(cell.key.description) {
            debugger.message = ("\(cell.key) is derived: the simulation recomputes it from the other fields at every step, "
                + "so a resumed fork will not keep this edit; edit what it is computed from (u drops it)", true)
            return
        }
        debugger.message = ("\(debugger.forkDraft.count) edit\(debugger.forkDraft.count == 1 ? "" : "s") for the next fork (shown as *VALUE; f forks, u drops one, :clear-edits all)", false)
    }

    /// Forks a branch at the current checkpoint with the pending edits,
    /// through a writer opened for just this (the store's lock says when a
    /// recording holds it), then shows the new branch.
    static func fork(named name: String, on debugger: Debugger) {
        guard let checkpoint = debugger.cursor.current else { return }
        let trimmed = name.trimmingBlanks
        do {
            let created: Checkpoint?
            do {
                let writer = try debugger.store.openWriter()
                created = try writer.fork(from: checkpoint.id, name: trimmed, edits: debugger.forkDraft.edits,
                                          info: CheckpointInfo(name: "fork of \(checkpoint.id)", description: debugger.pendingEdits.map(\.text).joined(separator: ", "))).checkpoint
            }
            try debugger.store.refresh()
            try debugger.session.switchTo(branch: trimmed)
            debugger.session.cursor.seek(to: created?.id ?? checkpoint.id)
            let edits = debugger.forkDraft.count
            debugger.forkDraft.clear()
            try debugger.load()
            debugger.message = ("forked \(trimmed) from \(checkpoint.id)" + (edits > 0 ? " with \(edits) edit\(edits == 1 ? "" : "s") as \(created!.id)" : ""), false)
        } catch {
            debugger.message = ("fork: \(error.description)", true)
        }
    }
}
