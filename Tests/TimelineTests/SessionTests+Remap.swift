import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

extension SessionTests {
    @Test("a step onto a tick where entities left and joined reads the changed rows off the remapped deltas: exactly the store's diff, and the tick before is not decoded for it")
    func changesOffRemappedDeltas() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 27)
        let spawnTick = 25
        let (before, after) = (timeline[spawnTick - 1].archetypes[0], timeline[spawnTick].archetypes[0])
        #expect(before.entities.contentHash != after.entities.contentHash)
        let remapped = try zip(after.columns, before.columns).filter { try store.blocks.remappedChange(of: $0, against: $1) != nil }.count
        #expect(remapped > 0, "W3 stores a despawn and spawn tick as remapped deltas")

        for (from, step) in [(spawnTick - 1, 1), (spawnTick + 1, -1)] {
            let session = try Session(store: try CheckpointStore.open(directory.path))
            session.cursor.seek(toIndex: from)
            try session.load(archetype: 0)
            session.cursor.step(step)
            try session.load(archetype: 0)
            let view = try #require(session.view)
            let changes = try #require(view.changes)
            if step < 0 {
                // Only the earlier tick's ids are read (to pair entities); none of its columns.
                #expect(session.lastLoad?.reads.blocksDecoded == 1, "\(String(describing: session.lastLoad?.reads))")
            }
            let diff = try store.diff(timeline[spawnTick - 1].id, timeline[spawnTick].id)
            var cells = Set<String>()
            for (column, rows) in changes.columns.enumerated() { for row in rows?.rows ?? [] { cells.insert("\(view.ids[row]) \(view.keys[column])") } }
            let spawned = Set(diff.spawned)
            #expect(!cells.isEmpty && cells == Set(diff.changed.filter { !spawned.contains($0.entity) }.map { "\($0.entity) \($0.component).\($0.field)" }))
            #expect(Set(changes.spawned.rows.map { view.ids[$0] }) == spawned && changes.despawned == diff.despawned.count)
        }
    }
}

extension SessionTests {
    @Test("pairing rows by a remap gives exactly the pairs by id; an appended id that was removed pairs by id, not as new")
    func pairsByRemapEqualPairsByID() throws {
        func ids(_ values: [UInt64]) -> [EntityID] { values.map { EntityID(rawValue: $0) } }
        func byID(_ old: [EntityID], _ new: [EntityID]) -> [Int32] {
            new.map { id in old.firstIndex(of: id).map { Int32($0) } ?? -1 }
        }
        let old = ids(Array(0..<40))
        // Rows 3, 4 and 17 despawned, two spawned after the survivors.
        let new = ids(Array(0..<40).filter { ![3, 4, 17].contains($0) } + [100, 101])
        let pairs = RowPairs(old: old, new: new)
        #expect(pairs.remap == RowRemap(removed: [3, 4, 17], appended: 2))
        #expect(pairs.oldRow == byID(old, new) && pairs.pairedCount == 37)
        // Entity 4 leaves its row and comes back at the end: it is paired with its old row.
        let readded = ids(Array(0..<40).filter { ![3, 4, 17].contains($0) } + [100, 4])
        let again = RowPairs(old: old, new: readded)
        #expect(again.remap == nil && again.oldRow == byID(old, readded) && again.pairedCount == 38)
    }
}
