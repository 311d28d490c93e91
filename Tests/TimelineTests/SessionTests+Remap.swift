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

extension SessionTests {
    @Test("a step onto a checkpoint where entities left and joined, then back, rebuilds the previous ids and columns from the shown ones: nothing decoded, the same view as a fresh session")
    func stepBackOverRemovedAndAppendedRows() throws {
        // W3 replaces the entities whose id ends in 7 at tick 25: survivors keep their order, newcomers follow.
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 2_000, ticks: 26)
        let replacing = try #require(timeline.firstIndex { $0.tick == 25 })
        #expect(timeline[replacing].archetypes[0].entities.contentHash != timeline[replacing - 1].archetypes[0].entities.contentHash)
        let session = try Session(store: store)
        session.cursor.seek(toIndex: replacing - 1)
        try session.load(archetype: 0)
        session.cursor.step(1)
        try session.load(archetype: 0)
        let changes = try #require(session.view?.changes)
        #expect(changes.remap != nil && session.idsUndo != nil && session.undoPatches.count == timeline[replacing].archetypes[0].columns.count)
        session.cursor.step(-1)
        try session.load(archetype: 0)
        #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))")
        let fresh = try CheckpointStore.open(directory.path).snapshot(timeline[replacing - 1].id).archetypes[0]
        #expect(session.view?.ids == fresh.entities && session.view?.columns == fresh.columns)
    }
}

extension SessionTests {
    @Test("an undo patch and an id undo across random removals, appends and changed values rebuild the earlier column and ids exactly", arguments: 0..<64)
    func undoAcrossARandomRemap(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let count = Int.random(in: 1...300, using: &random)
        let earlierIDs = (0..<count).map { EntityID(UInt64($0) * 3 + 1) }
        let earlier = (0..<count).map { _ in UInt32.random(in: 0...9, using: &random) }
        // Some rows removed (none, a few, at either end, or all), some appended, some kept values changed.
        let removeChance = [0, 0.05, 0.5, 1][Int(seed % 4)]
        let kept = (0..<count).filter { _ in Double.random(in: 0..<1, using: &random) >= removeChance }
        let appended = Int.random(in: 0...5, using: &random)
        var laterIDs = kept.map { earlierIDs[$0] }, later = kept.map { earlier[$0] }
        for (row, _) in later.enumerated() where Bool.random(using: &random) { later[row] = UInt32.random(in: 0...9, using: &random) }
        for index in 0..<appended {
            laterIDs.append(EntityID(UInt64(10_000 + index)))
            later.append(UInt32.random(in: 0...9, using: &random))
        }
        // Built here rather than found by `RowPairs`, which stops at a tenth of the rows moved.
        let remap = RowRemap(removed: (0..<count).filter { !kept.contains($0) }.map(UInt32.init), appended: appended)
        let (earlierColumn, laterColumn) = (Column(earlier), Column(later))
        func ref(_ column: Column) -> BlockRef { BlockRef(contentHash: ContentHash(of: column), file: 1, offset: 0, length: 0) }
        var changed = RowSet(capacity: later.count)
        for (row, earlierRow) in kept.enumerated() where later[row] != earlier[earlierRow] { changed.insert(row) }
        let patch = try #require(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), previousColumn: earlierColumn, changed: changed.isEmpty ? nil : changed,
                                           remap: remap, currentCount: later.count))
        #expect(patch.apply(to: laterColumn) == earlierColumn)
        // Handed a column nobody else holds, it moves the rows within it: the same result, and the column still held is unchanged.
        #expect(patch.apply(to: Column(later)) == earlierColumn && laterColumn == Column(later))
        #expect(patch.rows.count <= remap.removed.count + changed.count, "only removed and changed rows are kept")
        let idRef = BlockRef(contentHash: ContentHash(of: Column(earlierIDs.map(\.rawValue))), file: 1, offset: 0, length: 0)
        let undo = try #require(EntityIDsUndo(from: idRef, to: idRef, previousIDs: earlierIDs, remap: remap, currentCount: laterIDs.count))
        #expect(undo.apply(to: laterIDs) == earlierIDs && undo.removedIDs.count == remap.removed.count)
        // A list or column of another length is refused, not misread.
        #expect(EntityIDsUndo(from: idRef, to: idRef, previousIDs: earlierIDs + [EntityID(99_999)], remap: remap, currentCount: laterIDs.count) == nil)
        #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), previousColumn: earlierColumn, changed: nil, remap: remap, currentCount: later.count + 1) == nil)
    }
}

extension SessionTests {
    @Test("an undo patch read off XORed delta values rebuilds the earlier column in place, and refuses rows out of order or past the column, or a shared set of other rows", arguments: [1, 2, 3, 4])
    func xorUndoPatch(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let count = 50 + Int(random.next() % 500)
        let earlier = (0..<count).map { _ in Float(Int(random.next() % 1000)) / 8 }
        var later = earlier
        let rows = (0..<count).filter { _ in random.next() % 5 == 0 }.map(UInt32.init)
        for row in rows { later[Int(row)] = Float(Int(random.next() % 1000)) / 8 }
        let xor: [UInt8] = rows.flatMap { row in
            withUnsafeBytes(of: earlier[Int(row)].bitPattern ^ later[Int(row)].bitPattern) { Array($0) }
        }
        let (earlierColumn, laterColumn) = (Column(earlier), Column(later))
        func ref(_ column: Column) -> BlockRef { BlockRef(contentHash: ContentHash(of: column), file: 1, offset: 0, length: 0) }
        let patch = try #require(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: rows, xorValues: xor))
        #expect(patch.apply(to: laterColumn) == earlierColumn)
        if rows.count >= 2 {
            var swapped = rows
            swapped.swapAt(0, 1)
            #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: swapped, xorValues: xor) == nil)
            #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: [rows[0], rows[0]] + rows.dropFirst(2),
                              xorValues: xor) == nil)
        }
        #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: rows + [UInt32(count)],
                          xorValues: xor + [0, 0, 0, 0]) == nil)
        // Sharing the highlights' set of the same rows: the same column back; a set of other rows, or of another size, makes no patch.
        let set = RowSet(capacity: count, rows: rows)
        let shared = try #require(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: rows, sharing: set, xorValues: xor))
        #expect(shared.apply(to: laterColumn) == earlierColumn && shared.rows == set)
        #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: rows,
                          sharing: RowSet(capacity: count, rows: Array(rows.dropFirst())), xorValues: xor) == nil)
        #expect(UndoPatch(from: ref(laterColumn), to: ref(earlierColumn), currentColumn: laterColumn, rows: rows,
                          sharing: RowSet(capacity: count + 1, rows: rows), xorValues: xor) == nil)
    }
}
