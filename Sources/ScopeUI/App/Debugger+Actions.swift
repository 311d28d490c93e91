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

    /// `#`: selects an entity by id, in whichever archetype it is.
    func gotoEntity(_ text: String) {
        guard let raw = UInt64(text.trimmingBlanks) else { message = ("an entity id is a number", true); return }
        let id = EntityID(raw)
        guard let checkpoint = cursor.current else { return }
        var order = Array(checkpoint.archetypes.indices)
        order.removeAll { $0 == archetypeIndex }
        order.insert(archetypeIndex, at: 0)
        for index in order {
            let ids: [EntityID]
            if index == archetypeIndex, let table { ids = table.ids } else {
                do { ids = try store.entities(checkpoint.archetypes[index].entities, label: "entity ids of \(checkpoint.id)") } catch {
                    message = (error.description, true); return
                }
            }
            guard let row = ids.firstIndex(of: id) else { continue }
            if index != archetypeIndex { selectArchetype(index) }
            guard let position = tableState.shownRows == nil ? row : tableState.shownRows!.firstIndex(of: row) else {
                message = ("entity \(raw) is hidden by the filter", true); return
            }
            if focus != .results { focus = .table }
            selectRow(position)
            return
        }
        message = ("no entity \(raw) at \(checkpoint.id)", true)
    }

    /// A click: on the timeline or change strip seeks, in the archetype
    /// list selects, in the table selects the cell; the wheel scrolls.
    func click(x: Int, y: Int, button: MouseButton) {
        if mode != .normal { mode = .normal }
        switch button {
        case .wheelUp: selectRow(selectedRow - 3); return
        case .wheelDown: selectRow(selectedRow + 3); return
        case .left: break
        }
        switch layout.target(atX: x, y: y, checkpoints: cursor.checkpoints.count, idWidth: table.map(TableView.idWidth(of:))) {
        case .checkpoint(let index):
            session.cursor.seek(toIndex: index)
            reload()
        case .archetype(let index):
            focus = .archetypes
            if index < cursor.current?.archetypes.count ?? 0 { selectArchetype(index) }
        case .table(let line, let column):
            focus = .table
            if let line { selectRow(tableState.topRow + line) }
            if let column { selectColumn(column) }
        case .inspector:
            focus = .inspector
        case nil:
            break
        }
    }
}
