import PackCodec
import Timeline

extension Debugger {
    /// A mark letter was typed after m, ' or D.
    func useMark(_ letter: Character, for use: MarkUse) {
        switch use {
        case .set:
            mode = .prompt(.markNote(letter), marks[letter]?.note ?? "")
        case .jump:
            guard let mark = marks[letter] else { message = ("no mark \(letter)", true); return }
            guard let checkpoint = store.checkpoint(mark.checkpoint) else { message = ("mark \(letter): \(mark.checkpoint) is gone", true); return }
            do { try show(checkpoint) } catch { message = (error.description, true); return }
            message = ("mark \(letter): \(mark.checkpoint)" + (mark.note.isEmpty ? "" : " — \(mark.note)"), false)
        case .diffBase:
            if letter == "-" {
                session.diffBase = nil
                message = ("diff against the previous checkpoint", false)
            } else {
                guard let mark = marks[letter] else { message = ("no mark \(letter)", true); return }
                session.diffBase = mark.checkpoint
                message = ("diff against mark \(letter) (\(mark.checkpoint)); D - goes back to the previous checkpoint", false)
            }
            session.showsDiff = true
            reload()
        }
    }

    /// Finishes `m LETTER NOTE`.
    func setMark(_ letter: Character, note: String) {
        guard let checkpoint = cursor.current else { return }
        do {
            try marks.set(letter, to: checkpoint.id, note: note, in: store)
            message = ("mark \(letter) set at \(checkpoint.id) (' \(letter) jumps back)", false)
        } catch {
            message = ("could not save the mark: \(error.description)", true)
        }
    }

    /// The value typed for `entity`'s `key` for the next fork, if any.
    func pendingValue(entity: EntityID, key: ColumnKey) -> String? { forkDraft.value(for: entity, key) }

    /// The pending edits of the table shown, by entity and column.
    var pendingCells: [EntityID: [Int: String]] {
        guard let table, !forkDraft.isEmpty else { return [:] }
        return forkDraft.cells(of: table.keys)
    }

    /// Checks the typed value against the field's type and keeps the edit.
    func addEdit(_ text: String) {
        guard let cell = selectedCell, let table else { return }
        do { try forkDraft.set(cell.entity, cell.key, to: text, type: table.columns[selectedColumn].type) } catch {
            message = ("\(cell.key): \(error.description)", true); return
        }
        if let checkpoint = cursor.current, Snapshot.derivedFields(in: checkpoint.metadata).contains(cell.key.description) {
            message = ("\(cell.key) is derived: the simulation recomputes it from the other fields at every step, "
                + "so a resumed fork will not keep this edit; edit what it is computed from (u drops it)", true)
            return
        }
        message = ("\(forkDraft.count) edit\(forkDraft.count == 1 ? "" : "s") for the next fork (shown as *VALUE; f forks, u drops one, :clear-edits all)", false)
    }

    /// Forks a branch at the current checkpoint with the pending edits,
    /// through a writer opened for just this (the store's lock says when a
    /// recording holds it), then shows the new branch.
    func fork(named name: String) {
        guard let checkpoint = cursor.current else { return }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        do {
            let created: Checkpoint?
            do {
                let writer = try store.openWriter()
                created = try writer.fork(from: checkpoint.id, name: trimmed, edits: forkDraft.edits,
                                          info: CheckpointInfo(name: "fork of \(checkpoint.id)", description: pendingEdits.map(\.text).joined(separator: ", "))).checkpoint
            }
            try store.refresh()
            try session.switchTo(branch: trimmed)
            session.cursor.seek(to: created?.id ?? checkpoint.id)
            let edits = forkDraft.count
            forkDraft.clear()
            try load()
            message = ("forked \(trimmed) from \(checkpoint.id)" + (edits > 0 ? " with \(edits) edit\(edits == 1 ? "" : "s") as \(created!.id)" : ""), false)
        } catch {
            message = ("fork: \(error.description)", true)
        }
    }

    /// `B` and `:diverge`: the first tick at which this branch and another
    /// (the next one) hold different worlds, found by the engine's
    /// ``Divergence`` (tick by tick, block hashes first), opened with the
    /// diff against the other branch's checkpoint of that tick.
    func showDivergence(with other: String?) {
        let names = store.branches.map(\.name)
        guard let otherName = other ?? names.firstIndex(of: branch).map({ names[($0 + 1) % names.count] }), otherName != branch else {
            message = ("only one branch", false); return
        }
        do {
            let (found, common) = try Divergence.find(.init(store: store, branch: branch), .init(store: store, branch: otherName))
            guard let found else {
                message = ("\(branch) and \(otherName) do not diverge: the same world at each of the \(common) ticks both have", false)
                return
            }
            session.diffBase = found.second.id
            session.showsDiff = true
            session.cursor.seek(to: found.first.id)
            try load()
            let cells = found.diff.changed.count, fields = found.diff.changedCellsPerField.prefix(3).map { "\($0.key) \($0.count)" }.joined(separator: ", ")
            message = ("\(branch) and \(otherName) diverge at \(found.first.id) (tick \(found.tick)): \(cells) cell\(cells == 1 ? "" : "s") differ"
                       + (fields.isEmpty ? "" : " (\(fields))") + "; diff against \(otherName)'s \(found.second.id); D - ends", false)
        } catch {
            message = (error.description, true)
        }
    }

    /// `:delete-branch NAME`: deletes a branch and its own checkpoints
    /// through a writer opened for just this; the view moves to main when it
    /// was on that branch.
    func deleteBranch(named name: String) {
        guard !name.isEmpty else { message = ("delete-branch takes a branch name (Tab completes)", true); return }
        do {
            let gone: [CheckpointID]
            do { gone = try store.openWriter().deleteBranch(name) }
            try store.refresh()
            if branch == name {
                let names = store.branches.map(\.name)
                let tick = cursor.current?.tick ?? 0
                try session.switchTo(branch: names.contains(CheckpointStore.mainBranch) ? CheckpointStore.mainBranch : names.first ?? CheckpointStore.mainBranch)
                session.cursor.seek(toTick: tick)
            }
            reload()
            message = ("deleted branch \(name) and its \(gone.count) checkpoint\(gone.count == 1 ? "" : "s")", false)
        } catch {
            message = ("delete-branch: \(error.description)", true)
        }
    }

    /// `:rename-branch NEW` (the branch shown) and `r` in the branch list:
    /// renames a branch through a writer opened for just this; the view
    /// stays where it is.
    func renameBranch(_ old: String? = nil, to newName: String) {
        let old = old ?? branch
        let trimmed = newName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { message = ("rename-branch takes the new name of \(old)", true); return }
        do {
            do { try store.openWriter().renameBranch(old, to: trimmed) }
            try store.refresh()
            if branch == old {
                let position = cursor.current?.id
                try session.switchTo(branch: trimmed)
                if let position { session.cursor.seek(to: position) }
                reload()
            }
            message = ("renamed branch \(old) to \(trimmed)", false)
        } catch {
            message = ("rename-branch: \(error.description)", true)
        }
    }
}
