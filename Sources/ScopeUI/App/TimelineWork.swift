import Timeline

/// Work along the timeline that the debugger does a slice at a time between
/// keys, so the screen never waits for it: a search (`[`, `]`, `F`), the
/// inspector's history of the selected cell, the watches pinned under the
/// timeline and the lifeline of one entity (`o`).
///
/// A slice is one checkpoint of one of them: the search first (the user is
/// waiting for its answer; Esc cancels it), then the history, the watches in
/// order and the lifeline. A checkpoint that cannot be read is reported to
/// the caller (to mark it on the timeline) and passed: a search names it at
/// the end, a series has no value there, a lifeline skips it.
///
/// ```swift
/// var work = TimelineWork()
/// work.watches.append(Series(.cell(entity: id, key: key, components: components), checkpoints: ids))
/// while work.isPending {
///     if let done = work.runSlice(timeline: checkpoints, store: store, damaged: { markDamaged($0, $1) }) { show(done) }
/// }
/// ```
struct TimelineWork {
    /// The search running, if one is.
    var search: Search?
    /// The selected cell's field over the timeline, for the inspector.
    var history: Series?
    /// Rows pinned under the timeline.
    var watches: [Series] = []
    /// The lifeline lane of one entity, under the timeline.
    var lifeline: Lifeline?

    /// Whether a slice is left to do.
    var isPending: Bool {
        search != nil || !(history?.isComplete ?? true) || watches.contains { !$0.isComplete } || !(lifeline?.isComplete ?? true)
    }

    /// A progress line for the status bar while a search runs.
    var searchProgress: String? {
        guard let search else { return nil }
        return " \(search.label): \(search.next) of \(search.indices.count) checkpoints, \(search.skipped) skipped unread  (Esc cancels)"
    }

    /// Does one slice of the first pending work.
    /// - Parameters:
    ///   - timeline: the checkpoints of the branch shown, which a search's
    ///     indices number.
    ///   - damaged: told of a checkpoint that could not be read, and why.
    /// - Returns: the search, when this slice finished it (found or not).
    mutating func runSlice(timeline: [Checkpoint], store: CheckpointStore, damaged: (CheckpointID, String) -> Void) -> Search? {
        if var running = search {
            do { try running.step(timeline, store: store) } catch {
                let id = timeline[running.indices[running.next - 1]].id
                damaged(id, error.description)
                running.unreadable.append(id)
            }
            search = running.isDone ? nil : running
            return running.isDone ? running : nil
        }
        if history != nil, !history!.isComplete {
            Self.advance(&history!, store: store, damaged: damaged)
        } else if let index = watches.firstIndex(where: { !$0.isComplete }) {
            Self.advance(&watches[index], store: store, damaged: damaged)
        } else if lifeline != nil, !lifeline!.isComplete {
            do { try lifeline!.advance(in: store) } catch {
                damaged(lifeline!.checkpoints[lifeline!.events.count].id, error.description)
                lifeline!.skipUnreadable()
            }
        }
        return nil
    }

    /// The next value of a series; a checkpoint that cannot be read has
    /// none, and the series goes on.
    private static func advance(_ series: inout Series, store: CheckpointStore, damaged: (CheckpointID, String) -> Void) {
        let index = series.values.count
        do { try series.advance(store: store) } catch {
            if series.checkpoints.indices.contains(index) { damaged(series.checkpoints[index], error.description) }
            series.values.append(nil)
            series.texts.append(nil)
        }
    }
}
