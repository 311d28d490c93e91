/// A position on one branch's timeline: what the debugger's step, jump,
/// seek and play keys move. A value: the store gives it the timeline
/// (``CheckpointStore/timeline(of:)``) and it only moves an index.
public struct ReplayCursor: Sendable, Equatable {
    /// The checkpoints of the timeline, oldest first.
    public private(set) var checkpoints: [Checkpoint]
    /// The current position, an index into ``checkpoints``.
    public private(set) var position: Int
    /// Whether stepping past either end wraps around.
    public var isLooping: Bool

    /// A cursor at the start of `checkpoints`.
    public init(checkpoints: [Checkpoint], isLooping: Bool = false) {
        self.checkpoints = checkpoints
        self.position = 0
        self.isLooping = isLooping
    }

    /// The checkpoint at the cursor, or `nil` on an empty timeline.
    public var current: Checkpoint? { checkpoints.isEmpty ? nil : checkpoints[position] }

    /// Moves `count` checkpoints forward (negative: back), stopping at the
    /// ends or wrapping when looping.
    /// - Returns: whether the position changed.
    @discardableResult
    public mutating func step(_ count: Int = 1) -> Bool {
        guard !checkpoints.isEmpty else { return false }
        let old = position
        if isLooping {
            let n = checkpoints.count
            position = ((position + count) % n + n) % n
        } else {
            position = min(max(position + count, 0), checkpoints.count - 1)
        }
        return position != old
    }

    /// Moves to the first checkpoint.
    public mutating func seekToStart() { position = 0 }

    /// Moves to the last checkpoint.
    public mutating func seekToEnd() { position = max(0, checkpoints.count - 1) }

    /// Moves to index `index`, clamped to the timeline.
    public mutating func seek(toIndex index: Int) {
        position = checkpoints.isEmpty ? 0 : min(max(index, 0), checkpoints.count - 1)
    }

    /// Moves to checkpoint `id`. - Returns: `false` when it is not on this timeline.
    @discardableResult
    public mutating func seek(to id: CheckpointID) -> Bool {
        guard let index = checkpoints.firstIndex(where: { $0.id == id }) else { return false }
        position = index
        return true
    }

    /// Moves to the last checkpoint at or before `tick` (the first one when
    /// all come later). - Returns: `false` on an empty timeline.
    @discardableResult
    public mutating func seek(toTick tick: UInt64) -> Bool {
        guard !checkpoints.isEmpty else { return false }
        position = checkpoints.lastIndex { $0.tick <= tick } ?? 0
        return true
    }

    /// Moves to the checkpoint whose world time is nearest to `time`
    /// (the earlier one on a tie). - Returns: `false` on an empty timeline.
    @discardableResult
    public mutating func seek(toNearestTime time: Double) -> Bool {
        guard !checkpoints.isEmpty else { return false }
        var best = 0
        for (index, checkpoint) in checkpoints.enumerated()
        where abs(checkpoint.worldTime - time) < abs(checkpoints[best].worldTime - time) {
            best = index
        }
        position = best
        return true
    }

    /// Replaces the timeline (a live recording grew), keeping the cursor on
    /// the same checkpoint when it is still there.
    public mutating func update(_ timeline: [Checkpoint]) {
        let id = current?.id
        checkpoints = timeline
        if let id, seek(to: id) { return }
        seek(toIndex: position)
    }
}
