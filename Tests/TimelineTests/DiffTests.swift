import PackCodec
import Simulations
import Testing
@testable import Timeline

/// The diff is checked cell by cell against a brute-force comparison of the
/// two decoded worlds, on randomized worlds with spawns, despawns and moves.
@Suite struct DiffTests {
    static let components = [
        ComponentType(name: "A", fields: [Field("x", .float32), Field("n", .int32)]),
        ComponentType(name: "B", fields: [Field("s", .string)]),
        ComponentType(name: "C", fields: [Field("v", .uint64), Field("ok", .bool)]),
    ]

    struct Entity { var id: UInt64; var parts: Set<Int>; var a: (Float, Int32); var b: String; var c: (UInt64, Bool) }

    static func world(_ entities: [Entity]) -> Snapshot {
        var groups: [[Int]: [Entity]] = [:]
        var order: [[Int]] = []
        for entity in entities {
            let key = entity.parts.sorted()
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entity)
        }
        let archetypes = order.map { key -> Archetype in
            let members = groups[key]!
            var columns: [Column] = []
            if key.contains(0) { columns += [Column(members.map(\.a.0)), Column(members.map(\.a.1))] }
            if key.contains(1) { columns.append(Column(strings: members.map(\.b))) }
            if key.contains(2) { columns += [Column(members.map(\.c.0)), Column(members.map(\.c.1))] }
            return Archetype(components: key.map { components[$0] }, entities: members.map { EntityID($0.id) }, columns: columns)
        }
        return Snapshot(schema: Schema(components: components), archetypes: archetypes)
    }

    /// The expected diff, computed the slow obvious way.
    static func bruteForce(_ a: [Entity], _ b: [Entity]) -> SnapshotDiff {
        var diff = SnapshotDiff()
        let before = Dictionary(uniqueKeysWithValues: a.map { ($0.id, $0) })
        let after = Dictionary(uniqueKeysWithValues: b.map { ($0.id, $0) })
        diff.spawned = after.keys.filter { before[$0] == nil }.sorted().map(EntityID.init(rawValue:))
        diff.despawned = before.keys.filter { after[$0] == nil }.sorted().map(EntityID.init(rawValue:))
        for id in before.keys.sorted() {
            guard let old = before[id], let new = after[id] else { continue }
            if old.parts != new.parts {
                diff.moved.append(.init(entity: EntityID(id), from: old.parts.sorted().map { components[$0].name }, to: new.parts.sorted().map { components[$0].name }))
            }
            let shared = old.parts.intersection(new.parts)
            if shared.contains(0) {
                if old.a.0.bitPattern != new.a.0.bitPattern { diff.changed.append(.init(entity: EntityID(id), component: "A", field: "x", old: .float32(old.a.0), new: .float32(new.a.0))) }
                if old.a.1 != new.a.1 { diff.changed.append(.init(entity: EntityID(id), component: "A", field: "n", old: .int(Int64(old.a.1)), new: .int(Int64(new.a.1)))) }
            }
            if shared.contains(1), old.b != new.b { diff.changed.append(.init(entity: EntityID(id), component: "B", field: "s", old: .string(old.b), new: .string(new.b))) }
            if shared.contains(2) {
                if old.c.0 != new.c.0 { diff.changed.append(.init(entity: EntityID(id), component: "C", field: "v", old: .uint(old.c.0), new: .uint(new.c.0))) }
                if old.c.1 != new.c.1 { diff.changed.append(.init(entity: EntityID(id), component: "C", field: "ok", old: .bool(old.c.1), new: .bool(new.c.1))) }
            }
        }
        return diff
    }

    @Test("diff equals a brute-force comparison on randomized worlds", arguments: 0..<40 as Range<UInt64>)
    func randomized(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func parts() -> Set<Int> { Set((0..<3).filter { _ in chance(60) }) }
        var before: [Entity] = []
        for id in 0..<UInt64(random.next() % 60) {
            before.append(Entity(id: id * 3, parts: parts(), a: (Float(random.next() % 5), Int32(random.next() % 5)),
                                 b: ["x", "y", "größe"][Int(random.next() % 3)], c: (random.next() % 4, chance(50))))
        }
        var after: [Entity] = []
        for var entity in before where !chance(10) {
            if chance(20) { entity.a.0 += 1 }
            if chance(10) { entity.a.1 -= 1 }
            if chance(10) { entity.b += "!" }
            if chance(10) { entity.c.1.toggle() }
            if chance(8) { entity.parts = parts() }
            after.append(entity)
        }
        for id in 0..<UInt64(random.next() % 5) { after.append(Entity(id: 1000 + id, parts: parts(), a: (1, 1), b: "new", c: (1, true))) }
        if chance(30) { after = before } // sometimes nothing changes at all

        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let first = try store.commit(Self.world(before))
        let second = try store.commit(Self.world(after))
        let diff = try store.diff(first.id, second.id)
        let expected = Self.bruteForce(before, after)
        #expect(diff.spawned == expected.spawned)
        #expect(diff.despawned == expected.despawned)
        #expect(diff.moved == expected.moved)
        #expect(diff.changed == expected.changed)
        // The store's diff makes its changes when read; counted per field from its row lists, as listed changes are counted.
        #expect(diff.changedCellsPerField.map { "\($0.key) \($0.count)" } == expected.changedCellsPerField.map { "\($0.key) \($0.count)" })
        var extended = diff.changed
        let extra = SnapshotDiff.CellChange(entity: EntityID(99_999), component: "A", field: "x", old: .float32(0), new: .float32(1))
        extended.append(extra)
        #expect(Array(extended) == Array(diff.changed) + [extra] && Array(diff.changed) == Array(expected.changed))
        if after.map(\.id) == before.map(\.id) && diff.isEmpty {
            #expect(diff.blocksDecoded == 0, "equal blocks are skipped without decoding")
        }
    }

    @Test("W3 neighbours: only moved and worn entities change, and unchanged blocks are skipped")
    func swarmNeighbours() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        try SwarmTimeline.record(entities: 2_000, ticks: 2, into: store)
        let diff = try store.diff(store.checkpoints[1].id, store.checkpoints[2].id)
        // Tick 2 moves ids ending in 2 (200 entities, 3 fields each, unless vx/vy/vz is 0) and wears ids ending in 02 (20).
        #expect(Set(diff.changed.filter { $0.component == "Position" }.map(\.entity.rawValue)).allSatisfy { $0 % 10 == 2 })
        #expect(diff.changed.filter { $0.component == "Health" }.allSatisfy { $0.entity.rawValue % 100 == 2 })
        #expect(diff.spawned.isEmpty && diff.despawned.isEmpty)
        #expect(diff.blocksSkipped == 3, "Velocity's three columns are equal and skipped")
    }
}

extension DiffTests {
    @Test("a W3 step's changed rows come from the delta's row list (kind 3 records included), equal to comparing the columns")
    func deltaRowLists() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        try SwarmTimeline.record(entities: 5_000, ticks: 3, into: store)
        var read = 0
        for (previous, current) in zip(store.checkpoints, store.checkpoints.dropFirst()) {
            for (old, new) in zip(previous.archetypes[0].columns, current.archetypes[0].columns) where old.contentHash != new.contentHash {
                guard let rows = try store.changedRows(of: new, against: old) else { continue }
                let before = try store.columns([old], label: "old")[0], after = try store.columns([new], label: "new")[0]
                #expect(rows.map(Int.init) == after.rowsDiffering(from: before).rows)
                read += 1
            }
        }
        // Ticks 2 and 3 change 10% of positions: each changed Position column is a delta.
        #expect(read >= 6)
    }
}

extension DiffTests {
    @Test("a W3 diff read off XOR delta records lists exactly the cells and values a comparison of the two worlds finds, without decoding the later columns")
    func deltaDiffEqualsComparingWorlds() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        try SwarmTimeline.record(entities: 3_000, ticks: 4, into: store)
        let reader = try CheckpointStore.open(directory.path)
        for (previous, current) in zip(reader.checkpoints, reader.checkpoints.dropFirst()) {
            let (a, b) = (try reader.snapshot(previous.id).archetypes[0], try reader.snapshot(current.id).archetypes[0])
            var expected: [SnapshotDiff.CellChange] = []
            for row in a.entities.indices {
                for (index, key) in a.columnKeys.enumerated() {
                    let (old, new) = (a.columns[index].value(at: row), b.columns[index].value(at: row))
                    let width = a.columns[index].type.width!
                    if a.columns[index].storage[row * width..<(row + 1) * width] != b.columns[index].storage[row * width..<(row + 1) * width] {
                        expected.append(.init(entity: a.entities[row], component: key.component, field: key.field, old: old, new: new))
                    }
                }
            }
            let fresh = try CheckpointStore.open(directory.path)
            let diff = try fresh.diff(previous.id, current.id)
            #expect(Array(diff.changed) == expected && !expected.isEmpty)
            let changedColumns = zip(previous.archetypes[0].columns, current.archetypes[0].columns).filter { $0.contentHash != $1.contentHash }.count
            #expect(diff.blocksDecoded == changedColumns + 1, "the ids, and each changed column once, on the earlier side: \(diff.blocksDecoded)")
            // Each delta record is read once (beside the earlier side's decodes), and its reading is used.
            let deltas = zip(previous.archetypes[0].columns, current.archetypes[0].columns)
                .filter { $0.contentHash != $1.contentHash && fresh.blocks.storesChange(of: $1, from: $0) }.count
            #expect(fresh.readStatistics.changeRecordsRead == deltas && deltas > 0, "\(fresh.readStatistics.changeRecordsRead) records read for \(deltas) deltas")
        }
    }
}

extension DiffTests {
    /// Two archetypes whose columns are equal at the second checkpoint
    /// share one stored block, a delta on only one of their earlier
    /// columns: what that delta says is the change from that column alone.
    @Test("a block two archetypes share is a delta on one archetype's earlier column: the other archetype's changes are not read off it")
    func sharedBlockWithOneBase() throws {
        let (n, rows) = (3_000, 0..<3_000)
        let shared: [Float] = rows.map { $0 < 10 ? -1 : Float($0) }
        let x1: [Float] = rows.map { (20..<30).contains($0) ? 7 : shared[$0] }
        let y1: [Float] = rows.map { (10..<20).contains($0) ? 9 : shared[$0] }
        let (a, b) = (ComponentType(name: "A", fields: [Field("x", .float32)]), ComponentType(name: "B", fields: [Field("x", .float32)]))
        func archetype(_ type: ComponentType, _ values: [Float], ids: UInt64) -> Archetype {
            Archetype(components: [type], entities: (0..<UInt64(n)).map { EntityID(ids + $0) }, columns: [Column(values)])
        }
        let schema = Schema(components: [a, b])
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let first = try store.commit(Snapshot(schema: schema, archetypes: [archetype(a, x1, ids: 0), archetype(b, y1, ids: 10_000)]))
        // B first: the shared block is written as a delta on B's earlier column.
        let second = try store.commit(Snapshot(schema: schema, archetypes: [archetype(b, shared, ids: 10_000), archetype(a, shared, ids: 0)]))
        let reader = try CheckpointStore.open(directory.path)
        let stored = try #require(reader.checkpoint(second.id))
        #expect(stored.archetypes[0].columns[0].contentHash == stored.archetypes[1].columns[0].contentHash)
        let diff = try reader.diff(first.id, second.id)
        var expected: [SnapshotDiff.CellChange] = []
        for row in rows where x1[row].bitPattern != shared[row].bitPattern {
            expected.append(.init(entity: EntityID(UInt64(row)), component: "A", field: "x", old: .float32(x1[row]), new: .float32(shared[row])))
        }
        for row in rows where y1[row].bitPattern != shared[row].bitPattern {
            expected.append(.init(entity: EntityID(10_000 + UInt64(row)), component: "B", field: "x", old: .float32(y1[row]), new: .float32(shared[row])))
        }
        #expect(Array(diff.changed) == expected)
    }
}
