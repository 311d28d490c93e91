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
        case .distribution: debugger.showDistribution()
        case .lifeline: debugger.toggleLifeline()
        case .nextLifeEvent: debugger.jumpAlongLifeline(forward: true)
        case .previousLifeEvent: debugger.jumpAlongLifeline(forward: false)
        case .pinCell: debugger.pinCell()
        case .pinAggregate: debugger.pinAggregates(debugger.selectedColumnIsText ? [.count] : Series.Aggregate.allCases)
        case .unpinAll:
            debugger.watches.removeAll()
            debugger.message = ("watches removed", false)
        case .stats: debugger.showStatistics()
        default: return false
        }
        return true
    }
}
