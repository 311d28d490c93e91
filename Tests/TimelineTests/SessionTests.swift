import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

/// The engine's session, driven without any screen: the view it decodes,
/// its diff against the previous checkpoint (checked against the store's
/// own diff), stepping back through undo patches, damage, and following a
/// growing store.
@Suite struct SessionTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleWorlds/ecosystem").path

    @Test("a step's view: the archetype decoded, and its changes exactly the store's diff of the two checkpoints for that archetype")
    func viewAndChanges() throws {
        let store = try CheckpointStore.open(Self.sample)
        let session = try Session(store: store)
        session.cursor.seek(toTick: 100)
        #expect(try session.load(archetype: 1) == 1)
        let view = try #require(session.view)
        let checkpoint = try #require(session.cursor.current)
        #expect(view.checkpoint == checkpoint.id && view.ids.count == checkpoint.archetypes[1].entityCount)
        let changes = try #require(view.changes)
        let diff = try store.diff(session.baseCheckpoint!.id, checkpoint.id)
        var cells = Set<String>()
        for (column, rows) in changes.columns.enumerated() { for row in rows?.rows ?? [] { cells.insert("\(view.ids[row]) \(view.keys[column])") } }
        let here = Set(view.ids), moved = Set(diff.moved.map(\.entity))
        #expect(cells == Set(diff.changed.filter { here.contains($0.entity) && !moved.contains($0.entity) }.map { "\($0.entity) \($0.component).\($0.field)" }))
        #expect(cells.contains("265 Health.value"))
        #expect(view.summary.hasPrefix("vs \(session.baseCheckpoint!.id): "))
        // An archetype out of range loads the first; no checkpoint at all, no view.
        #expect(try session.load(archetype: 99) == 0)
        session.diffBase = checkpoint.id
        try session.load(archetype: 0)
        #expect(session.view?.changes == nil && session.view?.summary == "this is the diff base \(checkpoint.id)")
    }

    /// W3 at 5,000 entities over 4 ticks (the same entities every tick, 10%
    /// of positions changed, so every step has patches), a session at `tick`.
    static func swarmSession(at tick: UInt64, key: EncryptionKey? = nil) throws -> (StoreDirectory, Session) {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path, key: key)
        try SwarmTimeline.record(entities: 5_000, ticks: 4, into: writer, branch: CheckpointStore.mainBranch, options: WriteOptions(codec: .zstd(level: 1)))
        let session = try Session(store: try CheckpointStore.open(directory.path, key: key))
        session.cursor.seek(toTick: tick)
        try session.load(archetype: 0)
        return (directory, session)
    }

    @Test("stepping back rebuilds the previous columns from what the step forward kept (undo patches, or the delta records of the columns it patched in place): the same values as decoding them, nothing decoded")
    func stepBack() throws {
        let (directory, session) = try Self.swarmSession(at: 2)
        defer { withExtendedLifetime(directory) {} }
        let fresh = try #require(session.view)
        session.cursor.step(1)
        try session.load(archetype: 0)
        #expect(!session.undoPatches.isEmpty || !session.deltaSources.isEmpty)
        session.cursor.step(-1)
        try session.load(archetype: 0)
        #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))")
        #expect(session.view?.columns == fresh.columns && session.view?.ids == fresh.ids)
    }

    @Test("a branch switch, a position on another branch's checkpoint, and following a store another writer grows")
    func branchesAndFollow() throws {
        let folder = NSTemporaryDirectory() + "tickscope-session-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: Self.sample, toPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let session = try Session(store: try CheckpointStore.open(folder))
        #expect(throws: TimelineError.unknownBranch("nope")) { try session.switchTo(branch: "nope") }
        #expect(try session.follow() == false)
        session.cursor.seekToEnd()
        let writer = try CheckpointStore.openForWriting(folder)
        let fork = try writer.fork(from: try writer.resolve("20").id, name: "fix", edits: [.set(entity: EntityID(265), component: "Health", field: "value", value: "5")])
        try SimulationRecorder.resume(Ecosystem.self, branch: CheckpointStore.mainBranch, in: writer, ticks: 2, every: 1)
        #expect(try session.follow() == true)
        #expect(session.cursor.current?.tick == 202, "at the end, the view moved on with the new checkpoints")
        try session.position(at: try #require(fork.checkpoint))
        #expect(session.branch == "fix" && session.cursor.current?.id == fork.checkpoint?.id)
    }
}

extension SessionTests {
    @Test("after a seek, a step back decodes nothing: the shown columns' delta records give the undo patches, and the rebuilt columns equal a fresh decode",
          arguments: [false, true])
    func stepBackFromDeltas(encrypted: Bool) throws {
        // A seek: tick 2's columns were never decoded, so only the delta records can say how to go back.
        let key = encrypted ? try EncryptionKey.random() : nil
        let (directory, session) = try Self.swarmSession(at: 3, key: key)
        #expect(!session.deltaSources.isEmpty && session.undoPatches.isEmpty)
        session.cursor.step(-1)
        try session.load(archetype: 0)
        #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))")
        let fresh = try CheckpointStore.open(directory.path, key: key).snapshot(try #require(session.cursor.current).id).archetypes[0]
        #expect(session.view?.columns == fresh.columns && session.view?.ids == fresh.entities)
    }
}

extension SessionTests {
    @Test("a walk back reads each delta record once: the highlights of one step read the values the next step's undo needs, and that step reads no record for it",
          arguments: [false, true])
    func walkBackReadsEachRecordOnce(encrypted: Bool) throws {
        let key = encrypted ? try EncryptionKey.random() : nil
        let (directory, session) = try Self.swarmSession(at: 4, key: key)
        let fresh = try CheckpointStore.open(directory.path, key: key)
        for _ in 0..<2 {
            session.cursor.step(-1)
            try session.load(archetype: 0)
            let reads = try #require(session.lastLoad?.reads)
            #expect(reads.blocksDecoded == 0, "\(reads)")
            let shown = try #require(session.cursor.current)
            let expected = try fresh.snapshot(shown.id).archetypes[0]
            #expect(session.view?.columns == expected.columns && session.view?.ids == expected.entities)
            // What the highlights read says how to go back further: a patch for every column stored as a delta on the one before.
            #expect(!session.deltaSources.isEmpty && session.deltaSources.keys.allSatisfy { session.undoPatches[$0] != nil })
        }
        // Onto tick 1, which has its own changes against tick 0: only those records are read, one a changed column.
        session.cursor.step(-1)
        let highlighted = session.deltaSources.count
        try session.load(archetype: 0)
        #expect(session.lastLoad?.reads.changeRecordsRead == highlighted, "\(String(describing: session.lastLoad?.reads))")
        #expect(session.view?.columns == (try fresh.snapshot(try #require(session.cursor.current).id).archetypes[0].columns))
    }

    @Test("stepping across a checkpoint whose columns start new delta chains, then back over it, decodes nothing the second time: the same columns and changes as a fresh session")
    func crossingAChainStartAgain() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 10)
        // The first checkpoint with a changed column stored whole although its parent has the same rows: no record says what changed.
        var found: Int?
        for index in timeline.indices.dropFirst() where found == nil {
            let (before, now) = (timeline[index - 1].archetypes[0], timeline[index].archetypes[0])
            guard before.entities.contentHash == now.entities.contentHash else { continue }
            for (old, new) in zip(before.columns, now.columns) where old.contentHash != new.contentHash {
                if try store.changedRows(of: new, against: old) == nil { found = index }
            }
        }
        let start = try #require(found)
        let session = try Session(store: store)
        session.cursor.seek(toIndex: start - 1)
        try session.load(archetype: 0)
        for step in [1, 1, -1, -1] {
            session.cursor.step(step)
            try session.load(archetype: 0)
            if step < 0 { #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))") }
            let fresh = try Session(store: try CheckpointStore.open(directory.path))
            fresh.cursor.seek(toIndex: session.cursor.position)
            try fresh.load(archetype: 0)
            #expect(session.view?.columns == fresh.view?.columns && session.view?.ids == fresh.view?.ids)
            #expect(session.view?.changes?.columns == fresh.view?.changes?.columns && session.view?.summary == fresh.view?.summary)
        }
        #expect(session.cursor.position == start - 1 && session.learnt.bytes > 0)
    }
}

extension SessionTests {
    @Test("learnt changes rebuild either version from the other exactly, list or bit set, and give up the least recently used pair past their budget")
    func learntChangesBothWaysAndBounded() throws {
        func column(_ values: [Float]) -> (Column, BlockRef) {
            let column = Column(values)
            return (column, BlockRef(contentHash: ContentHash(of: column), file: 1, offset: 0, length: 0))
        }
        let count = 1_000
        let base = (0..<count).map { Float($0) * 0.25 }
        var sparse = base, dense = base
        sparse[7] = -1; sparse[900] = .infinity  // 2 rows: kept as a list
        for row in stride(from: 0, to: count, by: 3) { dense[row] += 1 }  // 334 rows: kept as bits
        let (a, refA) = column(base), (b, refB) = column(sparse), (c, refC) = column(dense)
        // Room for the pairs A–C and B–C together, not for A–B beside them.
        var scratch = LearntChanges(budget: 1 << 20)
        scratch.learn(refA, refC, rows: a.rowsDiffering(from: c), oldColumn: a, newColumn: c)
        scratch.learn(refB, refC, rows: b.rowsDiffering(from: c), oldColumn: b, newColumn: c)
        var learnt = LearntChanges(budget: 0)
        learnt.raiseBudget(to: scratch.bytes)
        learnt.learn(refA, refB, rows: a.rowsDiffering(from: b), oldColumn: a, newColumn: b)
        learnt.learn(refA, refC, rows: a.rowsDiffering(from: c), oldColumn: a, newColumn: c)
        #expect(learnt.rows(between: refB, and: refA) == [7, 900])
        #expect(learnt.rows(between: refA, and: refC) == stride(from: 0, to: count, by: 3).map { UInt32($0) })
        for (from, to, expected) in [(a, refB, b), (b, refA, a), (c, refA, a), (a, refC, c)] {
            let source = [refA, refB, refC].first { $0.contentHash == ContentHash(of: from) }!
            let rebuilt = try #require(learnt.patch(rebuilding: to) { $0 == source ? from : nil })
            #expect(rebuilt.patch.apply(to: rebuilt.source) == expected)
        }
        #expect(learnt.patch(rebuilding: refB) { _ in nil } == nil, "nothing rebuilds without a decoded other version")
        // A third pair past the budget: the least recently used (A and B) goes.
        learnt.learn(refB, refC, rows: b.rowsDiffering(from: c), oldColumn: b, newColumn: c)
        #expect(learnt.bytes == scratch.bytes && learnt.pairs.count == 2 && !learnt.knows(refA, refB) && learnt.knows(refC, refA) && learnt.knows(refC, refB))
    }
}

extension SessionTests {
    @Test("a step back patches the shown column in place when nothing else needs it: the rebuilt column is the shown one's memory, with the previous values")
    func stepBackPatchesInPlace() throws {
        let (directory, session) = try Self.swarmSession(at: 2)
        defer { withExtendedLifetime(directory) {} }
        session.cursor.step(1)
        try session.load(archetype: 0)
        // Nothing decoded ahead holds the shown columns any more.
        session.store.blocks.ahead.settle()
        let stored = try #require(session.cursor.current?.archetypes[0])
        let patched = try #require(stored.columns.indices.first { index in
            session.deltaSources.values.contains(stored.columns[index]) || session.undoPatches.values.contains { $0.source == stored.columns[index] }
        })
        let address = session.view!.columns[patched].storage.withUnsafeBytes { Int(bitPattern: $0.baseAddress) }
        session.cursor.step(-1)
        try session.load(archetype: 0)
        #expect(session.view!.columns[patched].storage.withUnsafeBytes { Int(bitPattern: $0.baseAddress) } == address)
        let fresh = try CheckpointStore.open(directory.path).snapshot(try #require(session.cursor.current).id).archetypes[0]
        #expect(session.view?.columns == fresh.columns)
    }
}

extension SessionTests {
    @Test("a step forward applies each delta to the shown column it is stored on, in place, when nothing else needs that column; the step back undoes it with the values it XORed in, reading no record for that and decoding nothing")
    func stepForwardPatchesInPlace() throws {
        let (directory, session) = try Self.swarmSession(at: 2)
        defer { withExtendedLifetime(directory) {} }
        session.store.blocks.ahead.settle()
        let before = try #require(session.cursor.current?.archetypes[0])
        let after = session.cursor.checkpoints[session.cursor.position + 1].archetypes[0]
        let changed = try #require(before.columns.indices.first { index in
            before.columns[index] != after.columns[index] && session.store.blocks.isFullBlock(after.columns[index]) == false
        })
        let address = session.view!.columns[changed].storage.withUnsafeBytes { Int(bitPattern: $0.baseAddress) }
        session.cursor.step(1)
        try session.load(archetype: 0)
        #expect(session.view!.columns[changed].storage.withUnsafeBytes { Int(bitPattern: $0.baseAddress) } == address)
        let fresh = try CheckpointStore.open(directory.path).snapshot(try #require(session.cursor.current).id).archetypes[0]
        #expect(session.view?.columns == fresh.columns)
        #expect(session.deltaSources[before.columns[changed].contentHash] == after.columns[changed])
        #expect(session.undoPatches[before.columns[changed].contentHash]?.source == after.columns[changed])
        session.cursor.step(-1)
        try session.load(archetype: 0)
        let back = try CheckpointStore.open(directory.path).snapshot(try #require(session.cursor.current).id).archetypes[0]
        #expect(session.lastLoad?.reads.blocksDecoded == 0 && session.view?.columns == back.columns)
        // Only the highlights' records (tick 2 against tick 1) were read.
        #expect(session.lastLoad?.reads.changeRecordsRead == session.deltaSources.count, "\(String(describing: session.lastLoad?.reads))")
    }

    @Test("with the diff off, what a step's decoding applied is not kept past the step: nothing asks for it")
    func appliedRowsLetGoWithTheDiffOff() throws {
        let (directory, session) = try Self.swarmSession(at: 1)
        defer { withExtendedLifetime(directory) {} }
        session.showsDiff = false
        for step in [1, 1, -1, 1] {
            session.cursor.step(step)
            try session.load(archetype: 0)
            #expect(session.store.blocks.appliedDeltaRows.count == 0)
        }
    }
}
