import PackCodec
import Timeline

/// The table pane's own state: which rows are shown and in what order (the
/// filter and the sort), where the selection and the scroll are, and the
/// columns' layout. Its methods keep these consistent with a decoded view
/// (`Session.View`) and change nothing else, so the debugger only asks it
/// to move and draws what it says.
struct TableState {
    /// The selected row, as a position in the rows shown.
    var selectedRow = 0
    /// The first row in view, as a position in the rows shown.
    var topRow = 0
    /// The selected field column.
    var selectedColumn = 0
    /// The first field column in view.
    var leftColumn = 0
    /// Hidden columns and widths the user set.
    var columnLayout = ColumnLayout()
    /// The active filter, as typed, and as parsed.
    var filterText: String?
    var filterExpression: FilterExpression?
    /// The sort: a column and its direction.
    var sort: (key: ColumnKey, descending: Bool)?
    /// With a filter or a sort, the table rows shown, in order; the
    /// selection and scrolling index into this list.
    var shownRows: [Int]?
    /// Rows the last render had room for (the page size).
    var visibleRows = 10

    /// The number of rows shown of `view` (all, or the filter's).
    func shownCount(of view: Session.View?) -> Int { shownRows?.count ?? view?.ids.count ?? 0 }

    /// The table row at shown position `position`.
    func row(at position: Int) -> Int { shownRows?[position] ?? position }

    /// The selected entity and column, when `view` has rows.
    func selectedCell(in view: Session.View?) -> (entity: EntityID, key: ColumnKey, row: Int)? {
        guard let view, shownCount(of: view) > 0, view.keys.indices.contains(selectedColumn) else { return nil }
        let row = row(at: selectedRow)
        return (view.ids[row], view.keys[selectedColumn], row)
    }

    /// Selects shown position `position` (clamped), scrolling it into view.
    mutating func selectRow(_ position: Int, in view: Session.View?) {
        selectedRow = max(0, min(position, shownCount(of: view) - 1))
        if selectedRow < topRow { topRow = selectedRow }
        if selectedRow >= topRow + visibleRows { topRow = selectedRow - visibleRows + 1 }
    }

    /// Selects field column `column` (clamped to the view's columns).
    mutating func selectColumn(_ column: Int, in view: Session.View?) {
        selectedColumn = max(0, min(column, max(0, (view?.keys.count ?? 1) - 1)))
    }

    /// Back to the first row and column, as on another archetype.
    mutating func resetPosition() {
        selectedRow = 0; topRow = 0; selectedColumn = 0; leftColumn = 0
    }

    /// Rows the table can show; the render sets it from the screen size.
    mutating func setVisibleRows(_ rows: Int) {
        visibleRows = max(1, rows)
        if selectedRow >= topRow + visibleRows { topRow = selectedRow - visibleRows + 1 }
    }

    /// Moves the first column in view so that the selected one is drawn in
    /// `room` cells.
    mutating func keepSelectedColumnInView(keys: [ColumnKey], room: Int) {
        if selectedColumn < leftColumn { leftColumn = selectedColumn }
        while leftColumn < selectedColumn, !columnLayout.place(keys, from: leftColumn, in: room).contains(where: { $0.column == selectedColumn }) {
            leftColumn = columnLayout.neighbour(of: leftColumn, in: keys, forward: true)
        }
    }

    /// After a new view was loaded: the selection kept within its rows and
    /// columns, the order recomputed, `following` (the entity selected
    /// before) selected again when it is there.
    /// - Returns: an error line when the filter cannot run on this view.
    mutating func settle(on view: Session.View, following: EntityID?) -> String? {
        if selectedColumn >= view.keys.count { selectedColumn = max(0, view.keys.count - 1) }
        let problem = reorder(view)
        selectedRow = min(selectedRow, max(0, shownCount(of: view) - 1))
        if let following { select(following, in: view) }
        if topRow > selectedRow { topRow = selectedRow }
        return problem
    }

    /// Sets the filter (`nil`: clears it), keeping the selected entity
    /// selected when the filter is cleared and starting at the top when one
    /// is set.
    /// - Returns: an error line when the filter cannot run on this view.
    mutating func setFilter(_ expression: FilterExpression?, text: String?, on view: Session.View?) -> String? {
        let following = expression == nil ? selectedCell(in: view)?.entity : nil
        filterExpression = expression
        filterText = text
        if expression != nil { selectedRow = 0; topRow = 0 }
        let problem = reorder(view)
        if let following, let view { select(following, in: view) }
        return problem
    }

    /// `s`: ascending on `key`, then descending, then off; the selected
    /// entity stays selected.
    mutating func cycleSort(on key: ColumnKey, in view: Session.View?) -> String? {
        let following = selectedCell(in: view)?.entity
        if let sort, sort.key == key {
            self.sort = sort.descending ? nil : (key, true)
        } else {
            sort = (key, false)
        }
        selectedRow = 0; topRow = 0
        let problem = reorder(view)
        if let following, let view { select(following, in: view) }
        return problem
    }

    /// Recomputes the rows shown: sorted, then filtered.
    /// - Returns: an error line when the filter cannot run (then no row is shown).
    mutating func reorder(_ view: Session.View?) -> String? {
        guard let view, filterExpression != nil || sort != nil else { shownRows = nil; return nil }
        var problem: String?
        var order: [Int]?
        if let sort {
            if let column = view.keys.firstIndex(of: sort.key) {
                order = view.columns[column].sortedRows(descending: sort.descending)
            } else {
                self.sort = nil
            }
        }
        if let filterExpression {
            do {
                let matches = try filterExpression.matchingRowSet(keys: view.keys, columns: view.columns, count: view.ids.count, ids: view.ids)
                order = order.map { $0.filter { matches.contains($0) } } ?? matches.rows
            } catch {
                order = []
                problem = "filter: \(error.description)"
            }
        }
        shownRows = order
        selectedRow = min(selectedRow, max(0, shownCount(of: view) - 1))
        return problem
    }

    /// Selects `entity`'s row when it is shown (the row kept when it is
    /// not), scrolling it into view.
    mutating func select(_ entity: EntityID, in view: Session.View) {
        guard shownCount(of: view) > 0 else { return }
        if view.ids[row(at: selectedRow)] == entity { return }
        let position: Int?
        if let shownRows {
            position = shownRows.firstIndex { view.ids[$0] == entity }
        } else {
            position = view.ids.firstIndex(of: entity)
        }
        guard let position else { return }
        selectedRow = position
        if selectedRow < topRow || selectedRow >= topRow + visibleRows { topRow = max(0, selectedRow - visibleRows / 2) }
    }
}
