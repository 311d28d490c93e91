import PackCodec
import Simulations
import Testing
@testable import Timeline

/// The table's highlights (a session's `ArchetypeChanges`) and the store's
/// diff (what `tickscope diff` prints) must name the same cells for the
/// same two checkpoints, whichever path each takes: equal blocks skipped,
/// a delta's row list read, rows paired by merge or by hash, undo patches
/// on a step back. A session is driven at random over random recordings
/// (spawns, despawns, moves, shuffled rows, NaNs and signed zeros, a fork)
/// and every view is checked against the diff, which is itself checked
/// against a brute-force comparison of the worlds.
@Suite struct HighlightAgreementTests {
    typealias Entity = DiffTests.Entity

    /// One tick of random change; `calm` ticks change little, so the store
    /// writes deltas (with remapped rows when a few entities come and go,
    /// on the same rows when half of the calm ticks keep every entity).
    static func evolve(_ world: [Entity], calm: Bool, nextID: inout UInt64, random: inout SplitMix64) -> [Entity] {
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func parts() -> Set<Int> { Set((0..<3).filter { _ in random.next() % 100 < 60 }) }
        let scale: UInt64 = calm ? 1 : 5
        let sameEntities = calm && chance(50)
        var next: [Entity] = []
        for var entity in world where sameEntities || !chance(2 * scale) {
            if chance(4 * scale) {
                // Bit patterns, not numeric equality: NaNs (two payloads) and both zeros.
                let odd: [Float] = [.nan, Float(bitPattern: 0x7FC0_0001), -0.0, 0.0, 1.5]
                entity.a.0 = odd[Int(random.next() % UInt64(odd.count))]
            }
            if chance(2 * scale) { entity.a.1 &+= 1 }
            if chance(2 * scale) { entity.b += "!" }
            if chance(2 * scale) { entity.c.0 &+= random.next() % 3 }
            if chance(2 * scale) { entity.c.1.toggle() }
            if chance(calm ? 0 : 6) { entity.parts = parts() }
            next.append(entity)
        }
        for _ in 0..<(sameEntities ? 0 : random.next() % (2 * scale)) {
            next.append(Entity(id: nextID, parts: parts(), a: (1, 1), b: "new", c: (1, true)))
            nextID += 1
        }
        if !calm && chance(30) { next.shuffle(using: &random) }
        return next
    }

    @Test("random sessions: every highlight equals the store's diff for the same pair, and every view equals a fresh decode",
          arguments: 0..<24 as Range<UInt64>)
    func agree(seed: UInt64) throws {
        var random = SplitMix64(state: 0x5EED_0000 + seed)
        let directory = StoreDirectory()
        var worlds: [CheckpointID: [Entity]] = [:]
        do {
            let writer = try CheckpointStore.openForWriting(directory.path)
            var nextID: UInt64 = 0
            var world: [Entity] = []
            for _ in 0..<(seed % 2 == 0 ? 20 + random.next() % 180 : 1_500 + random.next() % 1_500) {
                world.append(Entity(id: nextID, parts: Set((0..<3).filter { _ in random.next() % 100 < 60 }),
                                    a: (Float(random.next() % 7), Int32(random.next() % 7)), b: "e\(nextID)", c: (random.next() % 4, random.next() % 2 == 0)))
                nextID += random.next() % 3 == 0 ? 2 : 1
            }
            var last = try writer.commit(DiffTests.world(world))
            worlds[last.id] = world
            var history = [(last, world)]
            for _ in 0..<6 {
                world = Self.evolve(world, calm: random.next() % 3 != 0, nextID: &nextID, random: &random)
                last = try writer.commit(DiffTests.world(world))
                worlds[last.id] = world
                history.append((last, world))
            }
            // A fork from the middle, which goes its own way.
            let (forkBase, baseWorld) = history[Int(random.next() % UInt64(history.count))]
            try writer.fork(from: forkBase.id, name: "other")
            world = baseWorld
            for _ in 0..<3 {
                world = Self.evolve(world, calm: random.next() % 2 == 0, nextID: &nextID, random: &random)
                let checkpoint = try writer.commit(DiffTests.world(world), branch: "other")
                worlds[checkpoint.id] = world
            }
        }

        let store = try CheckpointStore.open(directory.path)
        let fresh = try CheckpointStore.open(directory.path)
        let session = try Session(store: store)
        let all = try store.timeline(of: CheckpointStore.mainBranch) + store.timeline(of: "other")
        var checkedPairs = 0
        for _ in 0..<40 {
            // A random move of the kind the debugger makes.
            switch random.next() % 6 {
            case 0, 1: session.cursor.step(random.next() % 3 == 0 ? -1 : 1)
            case 2: try session.position(at: all[Int(random.next() % UInt64(all.count))])
            case 3: session.diffBase = all[Int(random.next() % UInt64(all.count))].id
            case 4: session.diffBase = nil
            default: try session.switchTo(branch: random.next() % 2 == 0 ? "other" : CheckpointStore.mainBranch)
            }
            guard let current = session.cursor.current else { continue }
            let requested = Int(random.next() % UInt64(max(1, current.archetypes.count)))
            let archetype = try session.load(archetype: requested)
            let view = try #require(session.view)
            let reference = try fresh.snapshot(current.id)
            #expect(view.ids == reference.archetypes[archetype].entities && view.columns == reference.archetypes[archetype].columns,
                    "seed \(seed): the view of \(current.id) archetype \(archetype) is not what a fresh store decodes")
            guard let base = session.baseCheckpoint, base.id != current.id else {
                #expect(view.changes == nil)
                continue
            }
            let changes = try #require(view.changes)
            let diff = try fresh.diff(base.id, current.id)
            // The diff itself is the brute-force comparison of the two worlds.
            let expected = DiffTests.bruteForce(worlds[base.id]!, worlds[current.id]!)
            #expect(diff.spawned == expected.spawned && diff.despawned == expected.despawned && diff.moved == expected.moved
                    && diff.changed == expected.changed, "seed \(seed): diff \(base.id) -> \(current.id)")
            Self.expectAgreement(changes, view: view, diff: diff, base: base, baseWorld: worlds[base.id]!, current: current, context: "seed \(seed): \(base.id) -> \(current.id) archetype \(archetype)")
            checkedPairs += 1
        }
        #expect(checkedPairs > 10)
    }

    /// What the highlights of one archetype's table must be, read off the
    /// store's diff.
    static func expectAgreement(_ changes: ArchetypeChanges, view: Session.View, diff: SnapshotDiff, base: Checkpoint,
                                baseWorld: [Entity], current: Checkpoint, context: String) {
        let names = current.archetypes[view.archetype].signature.names
        let here = Set(view.ids)
        let spawned = Set(diff.spawned), moved = Set(diff.moved.map(\.entity))
        #expect(Set(changes.spawned.rows.map { view.ids[$0] }) == spawned.intersection(here), "spawned, \(context)")
        #expect(Set(changes.movedIn.rows.map { view.ids[$0] }) == Set(diff.moved.filter { $0.to == names }.map(\.entity)), "moved in, \(context)")
        var cells = Set<String>()
        for (column, rows) in changes.columns.enumerated() { for row in rows?.rows ?? [] { cells.insert("\(view.ids[row]) \(view.keys[column])") } }
        let expectedCells = Set(diff.changed.filter { here.contains($0.entity) && !moved.contains($0.entity) }.map { "\($0.entity) \($0.component).\($0.field)" })
        #expect(cells == expectedCells, "changed cells, \(context)")
        // What left this archetype since the base: despawned, or moved to another one.
        guard base.archetype(current.archetypes[view.archetype].signature) != nil else { return }
        let gone = Set(diff.despawned)
        let left = baseWorld.filter { $0.parts.sorted().map { DiffTests.components[$0].name } == names }.map { EntityID($0.id) }
        #expect(changes.despawned == left.filter { gone.contains($0) }.count, "despawned, \(context)")
        #expect(changes.movedOut == diff.moved.filter { $0.from == names }.count, "moved out, \(context)")
    }
}
