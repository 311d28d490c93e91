import Timeline

/// Inspecting and watching: the inspector, a column's distribution, an
/// entity's lifeline, watches pinned under the timeline, and what the last
/// step cost.
enum WatchingController: Controller {
    static let group = ActionGroup.watching

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .lifeline, .pinCell: debugger.hasRowsShown ? nil : "no rows shown"
        case .distribution, .pinAggregate: debugger.table == nil ? "no table shown" : nil
        case .nextLifeEvent, .previousLifeEvent: debugger.lifeline == nil ? "no lifeline (o)" : nil
        case .unpinAll: debugger.watches.isEmpty ? "no watches" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .toggleInspector:
            debugger.showsInspector.toggle()
            if debugger.showsInspector { debugger.refreshHistory() } else if debugger.focus == .inspector { debugger.focus = .table }
        case .distribution: showDistribution(on: debugger)
        case .lifeline: toggleLifeline(on: debugger)
        case .nextLifeEvent: jumpAlongLifeline(forward: true, on: debugger)
        case .previousLifeEvent: jumpAlongLifeline(forward: false, on: debugger)
        case .pinCell: pinCell(on: debugger)
        case .pinAggregate: pinAggregates(selectedColumnIsText(in: debugger) ? [.count] : Series.Aggregate.allCases, on: debugger)
        case .unpinAll:
            debugger.watches.removeAll()
            debugger.message = ("watches removed", false)
        case .stats: showStatistics(on: debugger)
        default: return false
        }
        return true
    }

    /// `o`: the selected entity's lifeline as a lane under the timeline (or
    /// away again); it fills in while the debugger is idle.
    private static func toggleLifeline(on debugger: Debugger) {
        if let lifeline = debugger.lifeline, lifeline.entity == debugger.selectedCell?.entity {
            debugger.lifeline = nil
            debugger.message = ("lifeline of #\(lifeline.entity.rawValue) removed", false)
            return
        }
        guard let entity = debugger.selectedCell?.entity else { debugger.message = ("select an entity first", true); return }
        debugger.lifeline = Lifeline(entity: entity, along: debugger.cursor.checkpoints)
        debugger.message = ("lifeline of #\(entity.rawValue): ) and ( go to its next and previous event", false)
    }

    /// `)` and `(`: the next or previous checkpoint where the lifeline has
    /// an event (spawn, change, move, despawn), selecting the entity there.
    private static func jumpAlongLifeline(forward: Bool, on debugger: Debugger) {
        guard let lifeline = debugger.lifeline else { debugger.message = ("no lifeline: o shows the selected entity's", true); return }
        guard let index = lifeline.event(from: debugger.cursor.position, forward: forward) else {
            debugger.message = (lifeline.isComplete ? "no \(forward ? "later" : "earlier") event of #\(lifeline.entity.rawValue)" : "the lifeline is still being read", false)
            return
        }
        let event = lifeline.events[index]
        debugger.session.cursor.seek(toIndex: index)
        debugger.reload()
        // Gone at a despawn: there is no row to select.
        if event != .despawned { TableController.gotoEntity(String(lifeline.entity.rawValue), on: debugger) }
        if debugger.message?.isError != true { debugger.message = ("#\(lifeline.entity.rawValue) at \(debugger.cursor.current!.id): \(event)", false) }
    }

    /// `%`: the selected column's distribution at the checkpoint shown,
    /// against the same column of the same archetype at the diff base.
    private static func showDistribution(on debugger: Debugger) {
        let selected = debugger.selectedColumn
        guard let table = debugger.table, table.keys.indices.contains(selected), let checkpoint = debugger.cursor.current else { return }
        let column = table.columns[selected], key = table.keys[selected]
        guard column.type.width != nil else { debugger.message = ("\(key) is text: a distribution is of numbers", true); return }
        let rows = (0..<debugger.shownCount).map { debugger.row(at: $0) }
        let here = Distribution(rows.map { column.value(at: $0).number ?? .nan })
        let label = debugger.filterText == nil ? checkpoint.id.description : "\(checkpoint.id) filtered"
        var base: (String, Distribution)?
        if debugger.showsDiff, let previous = debugger.session.baseCheckpoint, previous.id != checkpoint.id {
            let components = checkpoint.archetypes[table.archetype].signature
            if let archetype = previous.archetype(components), archetype.columns.indices.contains(selected) {
                do {
                    let values = try debugger.store.column(archetype.columns[selected], label: "\(key) of \(previous.id)")
                    base = (previous.id.description, Distribution((0..<values.count).map { values.value(at: $0).number ?? .nan }))
                } catch {
                    debugger.message = (error.description, true)
                }
            }
        }
        debugger.mode = .distribution(DistributionView(column: key.description, here: (label, here), base: base))
    }

    /// `:stats`: what the last load cost: blocks decoded, bytes stored and
    /// decoded, cache hits, milliseconds, and damage seen.
    private static func showStatistics(on debugger: Debugger) {
        guard let lastLoad = debugger.session.lastLoad else { debugger.message = ("nothing loaded yet", false); return }
        let reads = lastLoad.reads
        func size(_ bytes: Int) -> String { bytes < 10_000 ? "\(bytes) B" : bytes < 10_000_000 ? "\(bytes / 1000) KB" : "\(bytes / 1_000_000) MB" }
        let ms = (lastLoad.milliseconds * 100).rounded() / 100
        let damaged = debugger.damaged
        debugger.message = ("\(lastLoad.checkpoint): \(reads.blocksDecoded) block\(reads.blocksDecoded == 1 ? "" : "s") decoded (\(size(reads.storedBytes)) stored, "
                   + "\(size(reads.decodedBytes)) decoded\(reads.decodedAhead > 0 ? ", \(reads.decodedAhead) of them ahead" : "")), \(reads.cacheHits) cache hit\(reads.cacheHits == 1 ? "" : "s"), "
                   + (reads.learntAhead > 0 ? "\(reads.learntAhead) column change\(reads.learntAhead == 1 ? "" : "s") learnt ahead, " : "")
                   + (reads.changeRecordsRead > 0 ? "\(reads.changeRecordsRead) delta record\(reads.changeRecordsRead == 1 ? "" : "s") read for what changed, " : "") + "\(ms) ms"
                   + (damaged.isEmpty ? "" : "; \(damaged.count) damaged checkpoint\(damaged.count == 1 ? "" : "s") seen"), false)
    }

    /// `w`: pins the selected cell.
    private static func pinCell(on debugger: Debugger) {
        guard let cell = debugger.selectedCell, let table = debugger.table, let checkpoint = debugger.cursor.current else {
            debugger.message = ("select a cell first", true)
            return
        }
        let components = checkpoint.archetypes[table.archetype].signature
        debugger.watches.append(Series(.cell(entity: cell.entity, key: cell.key, components: components), checkpoints: debugger.cursor.checkpoints.map(\.id)))
        debugger.message = ("watching \(debugger.watches.last!.title)", false)
    }

    /// Whether the selected column holds strings or bytes, which have a
    /// count but no minimum, maximum or mean.
    private static func selectedColumnIsText(in debugger: Debugger) -> Bool {
        guard let table = debugger.table, table.columns.indices.contains(debugger.selectedColumn) else { return false }
        return table.columns[debugger.selectedColumn].type.width == nil
    }

    /// `W` (count, min, max and mean; count alone for text) and `:watch
    /// AGGREGATE`: pins aggregates of the selected column over the rows the
    /// filter keeps.
    static func pinAggregates(_ aggregates: [Series.Aggregate], on debugger: Debugger) {
        let column = debugger.selectedColumn
        guard let table = debugger.table, let checkpoint = debugger.cursor.current, table.keys.indices.contains(column) else {
            debugger.message = ("select a column first", true)
            return
        }
        let components = checkpoint.archetypes[table.archetype].signature
        for aggregate in aggregates {
            debugger.watches.append(Series(.aggregate(aggregate, key: table.keys[column], components: components, filter: debugger.tableState.filterExpression,
                                                      filterText: debugger.filterText),
                                           checkpoints: debugger.cursor.checkpoints.map(\.id)))
        }
        let names = aggregates.map(\.rawValue)
        let listed = names.count > 1 ? names.dropLast().joined(separator: ", ") + " and " + names.last! : names.joined()
        debugger.message = ("watching \(listed) of \(table.keys[column])" + (debugger.filterText.map { " where \($0)" } ?? ""), false)
    }
}
