import PackCodec
import Timeline

/// A deterministic simulation that Tickscope can record and resume: the
/// same seed gives the same worlds tick after tick, and the world it
/// records holds everything needed to carry on from it (the random
/// generator's state and the next entity id live in the resources).
public protocol Simulation {
    /// The name `tickscope record` knows it by.
    static var name: String { get }
    /// A new run.
    init(seed: UInt64, scale: Int?)
    /// Carries on from a recorded world (a checkpoint, possibly edited by a fork).
    init(resumingFrom world: Snapshot) throws(TimelineError)
    /// The tick of the current world.
    var tick: UInt64 { get }
    /// Runs one tick.
    mutating func step()
    /// The current world.
    var world: Snapshot { get }
}

/// Records simulations into checkpoint stores.
public enum SimulationRecorder {
    /// Runs `simulation` for `ticks` ticks, committing the world at the start
    /// and then every `every` ticks, on `branch`.
    /// - Parameters:
    ///   - commitFirst: whether to commit the starting world (not when
    ///     resuming: it is the branch's last checkpoint already).
    ///   - progress: called after each commit.
    public static func record<S: Simulation>(
        _ simulation: inout S, ticks: Int, every: Int, into store: CheckpointStore, branch: String,
        commitFirst: Bool = true, parent: CheckpointID? = nil, options: WriteOptions = WriteOptions(codec: .zstd(level: 3)),
        progress: (Checkpoint) -> Void = { _ in }
    ) throws(TimelineError) {
        let tags = [S.name]
        var parent = parent
        func commit() throws(TimelineError) {
            let checkpoint = try store.commit(
                simulation.world, branch: branch, parent: parent,
                info: CheckpointInfo(name: "tick \(simulation.tick)", tags: tags), options: options)
            parent = checkpoint.id
            progress(checkpoint)
        }
        if commitFirst { try commit() }
        guard ticks > 0 else { return }
        for step in 1...ticks {
            simulation.step()
            if step % max(1, every) == 0 || step == ticks { try commit() }
        }
    }

    /// Carries a branch on: rebuilds the simulation from the branch's last
    /// checkpoint (its fork point, for a fork without edits) and records
    /// `ticks` more ticks onto it.
    public static func resume<S: Simulation>(
        _: S.Type, branch: String, in store: CheckpointStore, ticks: Int, every: Int,
        options: WriteOptions = WriteOptions(codec: .zstd(level: 3)), progress: (Checkpoint) -> Void = { _ in }
    ) throws(TimelineError) {
        let last = try store.resumePoint(ofBranch: branch)
        var simulation = try S(resumingFrom: store.snapshot(last.id))
        try record(&simulation, ticks: ticks, every: every, into: store, branch: branch,
                   commitFirst: false, parent: last.id, options: options, progress: progress)
    }
}

/// Reading a recorded world back into simulation state.
extension Snapshot {
    /// The `f32` values of `component.field` in the archetype that has
    /// exactly `components`, in row order, or an error naming what is missing.
    func floats(_ component: String, _ field: String, in archetype: Archetype) throws(TimelineError) -> [Float] {
        guard let column = archetype.column(component: component, field: field), column.type == .float32 else {
            throw .invalidRequest("the world has no f32 column \(component).\(field)")
        }
        return column.values(as: Float.self)
    }

    /// A custom resource as an unsigned integer.
    func resource(_ key: String) throws(TimelineError) -> UInt64 {
        guard let text = resources.custom[key], let value = UInt64(text) else {
            throw .invalidRequest("the world lacks the resource \(key); it was not recorded by this simulation")
        }
        return value
    }
}
