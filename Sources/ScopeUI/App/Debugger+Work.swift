import FoundationEssentials
import PackCodec
import Timeline

extension Debugger {
    /// Whether searches, histories or watches have work left.
    public var hasPendingWork: Bool { work.isPending }

    /// A progress line for the status bar while a search runs.
    var jobProgress: String? { work.searchProgress }

    /// Does pending work until `seconds` have passed (``TimelineWork``:
    /// a search first, then the inspector's history, the watches and the
    /// lifeline); unreadable checkpoints are marked on the timeline.
    /// - Returns: whether work is left.
    @discardableResult
    public func runPendingWork(for seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        repeat {
            if let done = work.runSlice(timeline: cursor.checkpoints, store: store, damaged: { session.markDamaged($0, $1) }) {
                show(done)
            }
        } while work.isPending && ContinuousClock.now < deadline
        return work.isPending
    }

    /// Runs all pending work to the end (headless runs and tests).
    public func finishPendingWork() {
        while runPendingWork(for: 10) {}
    }

    /// A finished search: goes to what it found, or says it found nothing.
    private func show(_ search: Search) {
        guard let found = search.found else {
            message = ("none: \(search.subject) (\(search.indices.count) checkpoints, \(search.skipped) skipped unread)" + Self.unreadableNote(search), !search.unreadable.isEmpty)
            return
        }
        let keepRow = selectedCell
        session.cursor.seek(toIndex: found)
        reload()
        if case .cellChange = search.goal, let keepRow { gotoEntity(String(keepRow.entity.rawValue)) }
        // The answer first, so a narrow status line still shows it.
        message = ("\(cursor.current!.id) tick \(cursor.current!.tick): \(search.subject) (\(search.skipped) skipped unread)" + Self.unreadableNote(search), !search.unreadable.isEmpty)
    }

    /// `; c80, c81 could not be read (marked !)` when the search met damage.
    static func unreadableNote(_ search: Search) -> String {
        search.unreadable.isEmpty ? "" : "; \(search.unreadable.map(\.description).joined(separator: ", ")) could not be read (marked !)"
    }

    /// Restarts the inspector's history for the selected cell.
    func refreshHistory() {
        guard let cell = selectedCell, let table, let checkpoint = cursor.current else { history = nil; return }
        let components = checkpoint.archetypes[table.archetype].signature
        let ids = cursor.checkpoints.map(\.id)
        if let history, case let .cell(entity, key, _) = history.source, entity == cell.entity, key == cell.key, history.checkpoints == ids { return }
        history = Series(.cell(entity: cell.entity, key: cell.key, components: components), checkpoints: ids)
    }

    /// `w`: pins the selected cell.
    func pinCell() {
        guard let cell = selectedCell, let table, let checkpoint = cursor.current else { message = ("select a cell first", true); return }
        let components = checkpoint.archetypes[table.archetype].signature
        watches.append(Series(.cell(entity: cell.entity, key: cell.key, components: components), checkpoints: cursor.checkpoints.map(\.id)))
        message = ("watching \(watches.last!.title)", false)
    }

    /// Whether the selected column holds strings or bytes, which have a
    /// count but no minimum, maximum or mean.
    var selectedColumnIsText: Bool {
        guard let table, table.columns.indices.contains(selectedColumn) else { return false }
        return table.columns[selectedColumn].type.width == nil
    }

    /// `W` (count, min, max and mean; count alone for text) and `:watch
    /// AGGREGATE`: pins aggregates of the selected column over the rows the
    /// filter keeps.
    func pinAggregates(_ aggregates: [Series.Aggregate]) {
        guard let table, let checkpoint = cursor.current, table.keys.indices.contains(selectedColumn) else { message = ("select a column first", true); return }
        let components = checkpoint.archetypes[table.archetype].signature
        for aggregate in aggregates {
            watches.append(Series(.aggregate(aggregate, key: table.keys[selectedColumn], components: components, filter: tableState.filterExpression, filterText: filterText),
                                  checkpoints: cursor.checkpoints.map(\.id)))
        }
        let names = aggregates.map(\.rawValue)
        let listed = names.count > 1 ? names.dropLast().joined(separator: ", ") + " and " + names.last! : names.joined()
        message = ("watching \(listed) of \(table.keys[selectedColumn])" + (filterText.map { " where \($0)" } ?? ""), false)
    }

    /// Playing and following: called by the terminal loop with a
    /// monotonic time in seconds. Steps when a step is due; picks up new
    /// checkpoints of a live recording.
    public func advance(to now: Double) {
        ResumeController.pollResume(on: self)
        if isFollowing || resumeRun != nil { follow() }
        guard work.search == nil, playback.takeDueStep(now: now) else { return }
        if session.cursor.step(1) {
            reload()
        } else if !isFollowing {
            playback.isPlaying = false
            message = ("played to the last checkpoint", false)
        }
    }

    /// Seconds until `advance(to:)` has something to do (for the input wait).
    public func secondsUntilDue(now: Double) -> Double? {
        if hasPendingWork { return 0 }
        var wait = playback.secondsUntilDue(now: now)
        if resumeRun?.isRunning == true { wait = min(wait ?? 0.1, 0.1) }
        return wait
    }

    /// Rereads the store; when the timeline grew, shows the new end if the
    /// cursor was at the end (like `tail -f`).
    func follow() {
        do {
            guard try session.follow() else { return }
            playback.hasGrown = true
            reload()
        } catch {
            message = (error.description, true)
        }
    }
}
