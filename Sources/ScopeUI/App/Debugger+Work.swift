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
                ChangesController.finish(done, on: self)
            }
        } while work.isPending && ContinuousClock.now < deadline
        return work.isPending
    }

    /// Runs all pending work to the end (headless runs and tests).
    public func finishPendingWork() {
        while runPendingWork(for: 10) {}
    }

    /// Restarts the inspector's history for the selected cell.
    func refreshHistory() {
        guard let cell = selectedCell, let table, let checkpoint = cursor.current else { history = nil; return }
        let components = checkpoint.archetypes[table.archetype].signature
        let ids = cursor.checkpoints.map(\.id)
        if let history, case let .cell(entity, key, _) = history.source, entity == cell.entity, key == cell.key, history.checkpoints == ids { return }
        history = Series(.cell(entity: cell.entity, key: cell.key, components: components), checkpoints: ids)
    }

    /// Playing and following: called by the terminal loop with a
    /// monotonic time in seconds. Steps when a step is due; picks up new
    /// checkpoints of a live recording (``TimeController/advance(to:on:)``).
    public func advance(to now: Double) {
        TimeController.advance(to: now, on: self)
    }

    /// Seconds until `advance(to:)` has something to do (for the input wait).
    public func secondsUntilDue(now: Double) -> Double? {
        if hasPendingWork { return 0 }
        var wait = playback.secondsUntilDue(now: now)
        if resumeRun?.isRunning == true { wait = min(wait ?? 0.1, 0.1) }
        return wait
    }
}
