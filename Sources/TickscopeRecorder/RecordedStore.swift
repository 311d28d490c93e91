import PackCodec
import Timeline

/// Reading back what a recorder wrote: the branches, the ticks of each, one
/// tick's world, and the world a simulation resumed on a branch starts from
/// (its last checkpoint, or its fork point while it has none). What a
/// simulation needs to check a recording or to restore its state from a
/// fork and record on.
///
/// ```swift
/// let recorded = try RecordedStore(path: "runs/mine")
/// let start = try recorded.resumeWorld(branch: "fix")   // edited in the debugger
/// var world = MyWorld(restoring: start)
/// let recorder = try Recorder(store: "runs/mine", branch: "fix")
/// ```
///
/// A class: it holds the store open (read-only; a recorder may write meanwhile).
public final class RecordedStore {
    private let store: CheckpointStore

    /// Opens the store at `path` read-only.
    public init(path: String, key: EncryptionKey? = nil) throws(TimelineError) {
        store = try CheckpointStore.open(path, key: key)
    }

    /// The branch names, `main` first.
    public var branches: [String] { store.branches.map(\.name) }

    /// The ticks of `branch`'s timeline, oldest first (a fork's begins
    /// with the checkpoints up to its fork point).
    public func ticks(of branch: String) throws(TimelineError) -> [UInt64] {
        try store.timeline(of: branch).map(\.tick)
    }

    /// The world recorded at `tick` on `branch` (the last one of that tick).
    public func world(branch: String, tick: UInt64) throws(TimelineError) -> Snapshot {
        guard let checkpoint = try store.timeline(of: branch).last(where: { $0.tick == tick }) else {
            throw .unknownCheckpoint("\(branch)@\(tick)")
        }
        return try store.snapshot(checkpoint.id)
    }

    /// The world a simulation resumed on `branch` carries on from.
    public func resumeWorld(branch: String) throws(TimelineError) -> Snapshot {
        try store.snapshot(try store.resumePoint(ofBranch: branch).id)
    }
}
