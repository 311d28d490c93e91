import PackCodec
import Timeline

extension Debugger {
    /// Does what a key or a command names: the results pane's own keys
    /// while it has the focus, else the controller of the action's group.
    func perform(_ action: Action) {
        if focus == .results, ResultsController.perform(action, on: self) { return }
        let answered = action.group.controller.perform(action, on: self)
        assert(answered, "\(action) is in group \(action.group), whose controller does not answer it")
    }

    func selectColumn(_ column: Int) {
        tableState.selectColumn(column, in: table)
        if showsInspector { refreshHistory() }
    }

    func selectArchetype(_ index: Int) {
        let archetypes = cursor.current?.archetypes.count ?? 0
        guard archetypes > 0 else { return }
        archetypeIndex = (index % archetypes + archetypes) % archetypes
        tableState.resetPosition()
        tableState.sort = nil
        reload()
    }
}
