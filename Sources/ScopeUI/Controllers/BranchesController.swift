import Timeline

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
        case .nextBranch: switchBranch(to: nil, on: debugger)
        case .branches:
            // The branch list, the branch shown selected.
            let names = debugger.store.branches.map(\.name)
            debugger.mode = .branches(selected: names.firstIndex(of: debugger.branch) ?? 0, confirmingDelete: false)
        case .diverge: showDivergence(with: nil, on: debugger)
        case .resume: ResumeController.beginResume(on: debugger)
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
            deleteBranch(named: names[selected], on: debugger)
            debugger.mode = .branches(selected: max(0, min(selected, debugger.store.branches.count - 1)), confirmingDelete: false)
            return
        }
        switch key {
        case .down, .character("j"): debugger.mode = .branches(selected: min(names.count - 1, selected + 1), confirmingDelete: false)
        case .up, .character("k"): debugger.mode = .branches(selected: max(0, selected - 1), confirmingDelete: false)
        case .enter:
            debugger.mode = .normal
            if names[selected] != debugger.branch { switchBranch(to: names[selected], on: debugger) }
            debugger.message = debugger.message ?? ("branch \(debugger.branch)", false)
        case .character("r"): debugger.mode = .prompt(.renameBranch(names[selected]), names[selected])
        case .character("d"): debugger.mode = .branches(selected: selected, confirmingDelete: true)
        default: debugger.mode = .normal
        }
    }

    /// `B` and `:diverge`: the first tick at which this branch and another
    /// (the next one) hold different worlds, found by the engine's
    /// ``Divergence`` (tick by tick, block hashes first), opened with the
    /// diff against the other branch's checkpoint of that tick.
    static func showDivergence(with other: String?, on debugger: Debugger) {
        let names = debugger.store.branches.map(\.name)
        guard let otherName = other ?? names.firstIndex(of: debugger.branch).map({ names[($0 + 1) % names.count] }), otherName != debugger.branch else {
            debugger.message = ("only one branch", false); return
        }
        do {
            let (found, common) = try Divergence.find(.init(store: debugger.store, branch: debugger.branch), .init(store: debugger.store, branch: otherName))
            guard let found else {
                debugger.message = ("\(debugger.branch) and \(otherName) do not diverge: the same world at each of the \(common) ticks both have", false)
                return
            }
            debugger.session.diffBase = found.second.id
            debugger.session.showsDiff = true
            debugger.session.cursor.seek(to: found.first.id)
            try debugger.load()
            let cells = found.diff.changed.count, fields = found.diff.changedCellsPerField.prefix(3).map { "\($0.key) \($0.count)" }.joined(separator: ", ")
            debugger.message = ("\(debugger.branch) and \(otherName) diverge at \(found.first.id) (tick \(found.tick)): \(cells) cell\(cells == 1 ? "" : "s") differ"
                       + (fields.isEmpty ? "" : " (\(fields))") + "; diff against \(otherName)'s \(found.second.id); D - ends", false)
        } catch {
            debugger.message = (error.description, true)
        }
    }

    /// `:delete-branch NAME`: deletes a branch and its own checkpoints
    /// through a writer opened for just this; the view moves to main when it
    /// was on that branch.
    static func deleteBranch(named name: String, on debugger: Debugger) {
        guard !name.isEmpty else { debugger.message = ("delete-branch takes a branch name (Tab completes)", true); return }
        do {
            let gone: [CheckpointID]
            do { gone = try debugger.store.openWriter().deleteBranch(name) }
            try debugger.store.refresh()
            if debugger.branch == name {
                let names = debugger.store.branches.map(\.name)
                let tick = debugger.cursor.current?.tick ?? 0
                try debugger.session.switchTo(branch: names.contains(CheckpointStore.mainBranch) ? CheckpointStore.mainBranch : names.first ?? CheckpointStore.mainBranch)
                debugger.session.cursor.seek(toTick: tick)
            }
            debugger.reload()
            debugger.message = ("deleted branch \(name) and its \(gone.count) checkpoint\(gone.count == 1 ? "" : "s")", false)
        } catch {
            debugger.message = ("delete-branch: \(error.description)", true)
        }
    }

    /// `:rename-branch NEW` (the branch shown) and `r` in the branch list:
    /// renames a branch through a writer opened for just this; the view
    /// stays where it is.
    static func renameBranch(_ old: String? = nil, to newName: String, on debugger: Debugger) {
        let old = old ?? debugger.branch
        let trimmed = newName.trimmingBlanks
        guard !trimmed.isEmpty else { debugger.message = ("rename-branch takes the new name of \(old)", true); return }
        do {
            do { try debugger.store.openWriter().renameBranch(old, to: trimmed) }
            try debugger.store.refresh()
            if debugger.branch == old {
                let position = debugger.cursor.current?.id
                try debugger.session.switchTo(branch: trimmed)
                if let position { debugger.session.cursor.seek(to: position) }
                debugger.reload()
            }
            debugger.message = ("renamed branch \(old) to \(trimmed)", false)
        } catch {
            debugger.message = ("rename-branch: \(error.description)", true)
        }
    }

    /// Switches to `name`, or the next branch, at the same tick.
    static func switchBranch(to name: String?, on debugger: Debugger) {
        let names = debugger.store.branches.map(\.name)
        let target: String
        if let name {
            guard names.contains(name) else { debugger.message = ("no branch \(name)", true); return }
            target = name
        } else {
            guard names.count > 1, let index = names.firstIndex(of: debugger.branch) else { debugger.message = ("only one branch", false); return }
            target = names[(index + 1) % names.count]
        }
        let tick = debugger.cursor.current?.tick ?? 0
        do { try debugger.session.switchTo(branch: target) } catch { debugger.message = (error.description, true); return }
        debugger.session.cursor.seek(toTick: tick)
        debugger.reload()
    }
}
