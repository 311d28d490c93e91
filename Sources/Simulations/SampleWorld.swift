import PackCodec
import Timeline

/// The recordings that ship in `SampleWorlds/`, each made by one call with
/// fixed parameters and a fixed clock, so regenerating one gives the same
/// bytes (a test checks this).
public enum SampleWorld: String, CaseIterable, Sendable {
    case boids, ecosystem, orbits

    /// Creation time of every checkpoint in a sample: 2026-01-01 00:00 UTC.
    public static let fixedClock: @Sendable () -> Int64 = { 1_767_225_600_000 }

    /// The files that make up a sample store (its LOCK is left out).
    public static let storeFiles = ["MANIFEST", "index-000001.tsi", "data-000001.tsd"]

    /// Records the sample into a new store at `path`.
    public func record(into path: String) throws(TimelineError) {
        let store = try CheckpointStore.openForWriting(path, clock: Self.fixedClock)
        switch self {
        case .boids:
            var simulation = Boids(seed: 42, scale: 600)
            try SimulationRecorder.record(&simulation, ticks: 150, every: 2, into: store, branch: CheckpointStore.mainBranch)
        case .ecosystem:
            var simulation = Ecosystem(seed: 42, scale: nil)
            try SimulationRecorder.record(&simulation, ticks: 200, every: 1, into: store, branch: CheckpointStore.mainBranch)
        case .orbits:
            var simulation = Orbits(seed: 42, scale: 40)
            try SimulationRecorder.record(&simulation, ticks: 400, every: 4, into: store, branch: CheckpointStore.mainBranch)
        }
    }
}
