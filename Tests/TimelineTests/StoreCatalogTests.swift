import PackCodec
import Testing
@testable import Timeline

/// The catalogue replays the index's records: checkpoints, branches, forks,
/// deletions, renames and the ids given out, and answers along timelines.
@Suite struct StoreCatalogTests {
    private static func checkpoint(_ id: UInt64, parent: UInt64?, branch: String, tick: UInt64) -> Checkpoint {
        Checkpoint(id: CheckpointID(rawValue: id), parent: parent.map(CheckpointID.init(rawValue:)), branch: branch, tick: tick, worldTime: Double(tick),
                   createdAt: 0, info: CheckpointInfo(), schema: Schema(), seed: 0, customResources: [:], metadata: [:], archetypes: [])
    }

    private static func ids(_ checkpoints: [Checkpoint]) -> [UInt64] { checkpoints.map(\.id.rawValue) }

    @Test("a fork's timeline runs through its fork point; deleting and renaming change what the lookups answer, and ids stay given out")
    func replay() throws {
        var catalog = StoreCatalog()
        #expect(catalog.defaultBranch == "main" && catalog.checkpoints.isEmpty)
        try catalog.apply(.branch(Branch(name: "main", forkedFrom: nil, createdAt: 0)))
        for id in 1...3 as ClosedRange<UInt64> { try catalog.apply(.checkpoint(Self.checkpoint(id, parent: id > 1 ? id - 1 : nil, branch: "main", tick: id))) }
        try catalog.apply(.branch(Branch(name: "fix", forkedFrom: CheckpointID(rawValue: 2), createdAt: 0)))
        // A fork with no checkpoint of its own yet shows the chain to its fork point, and resumes from it.
        #expect(try Self.ids(catalog.timeline(of: "fix")) == [1, 2])
        #expect(try catalog.resumePoint(ofBranch: "fix").id.rawValue == 2)
        try catalog.apply(.checkpoint(Self.checkpoint(4, parent: 2, branch: "fix", tick: 3)))
        #expect(try Self.ids(catalog.timeline(of: "fix")) == [1, 2, 4] && Self.ids(catalog.timeline(of: "main")) == [1, 2, 3])
        #expect(catalog.branches.map(\.name) == ["main", "fix"] && catalog.lastCheckpoint(onBranch: "main")?.id.rawValue == 3)

        try catalog.apply(.delete([CheckpointID(rawValue: 3)]))
        #expect(catalog.checkpoint(CheckpointID(rawValue: 3)) == nil && Self.ids(catalog.checkpoints) == [1, 2, 4])
        #expect(try Self.ids(catalog.timeline(of: "main")) == [1, 2] && catalog.lastID == 4, "a deleted id stays given out")

        try catalog.apply(.branchRenamed(from: "fix", to: "fixed"))
        #expect(catalog.branch(named: "fix") == nil && catalog.checkpoint(CheckpointID(rawValue: 4))?.branch == "fixed")
        #expect(try Self.ids(catalog.timeline(of: "fixed")) == [1, 2, 4])
        #expect(throws: TimelineError.unknownBranch("fix")) { try catalog.timeline(of: "fix") }
        // A rename onto a branch that exists contradicts the catalogue and changes nothing.
        #expect(throws: IndexContradiction.self) { try catalog.apply(.branchRenamed(from: "fixed", to: "main")) }
        #expect(catalog.branches.map(\.name) == ["main", "fixed"])

        try catalog.apply(.branchDeleted("main"))
        #expect(catalog.defaultBranch == "fixed", "without main, a reference means the first branch")
        try catalog.apply(.idHighWater(CheckpointID(rawValue: 40)))
        catalog.noteGivenOut(CheckpointID(rawValue: 12))
        #expect(catalog.lastID == 40)
    }

    @Test("a fork whose fork point was deleted is not resumed from an earlier world")
    func deletedForkPoint() throws {
        var catalog = StoreCatalog()
        try catalog.apply(.branch(Branch(name: "main", forkedFrom: nil, createdAt: 0)))
        try catalog.apply(.checkpoint(Self.checkpoint(1, parent: nil, branch: "main", tick: 0)))
        try catalog.apply(.checkpoint(Self.checkpoint(2, parent: 1, branch: "main", tick: 1)))
        try catalog.apply(.branch(Branch(name: "try", forkedFrom: CheckpointID(rawValue: 2), createdAt: 0)))
        try catalog.apply(.delete([CheckpointID(rawValue: 2)]))
        #expect(throws: TimelineError.self) { try catalog.resumePoint(ofBranch: "try") }
        #expect(try Self.ids(catalog.timeline(of: "try")) == [1], "the chain passes over the deleted checkpoint")
    }
}
