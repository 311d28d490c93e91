import Dispatch
import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

/// Decoding ahead: a session stepping towards the start of a delta chain
/// has what crossing it needs worked out on a background thread (what
/// differs between the chain start's full blocks and the end of the chain
/// before, or, where rows moved, the columns), and the step that crosses
/// takes it; what it shows is exactly what a fresh session decodes itself,
/// and a block that fails is reported as before.
@Suite struct DecodeAheadTests {
    /// W3 at 5,000 entities for `ticks` ticks (zstd), and the first checkpoint
    /// after tick 0 whose changed columns are stored whole although its
    /// parent has the same rows: a chain start.
    static func recording(ticks: Int = 16) throws -> (directory: StoreDirectory, start: Int) {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: ticks)
        for index in timeline.indices.dropFirst(4) {
            let (before, now) = (timeline[index - 1].archetypes[0], timeline[index].archetypes[0])
            guard before.entities.contentHash == now.entities.contentHash else { continue }
            if zip(before.columns, now.columns).contains(where: { $0.contentHash != $1.contentHash && store.blocks.isFullBlock($1) }) {
                return (directory, index)
            }
        }
        throw TimelineError.invalidRequest("no chain start after tick 3")
    }

    /// A session on ``recording(ticks:)``'s store, loaded `offset`
    /// checkpoints from its chain start (a seek: nothing is decoded ahead).
    static func session(atChainStart offset: Int) throws -> (directory: StoreDirectory, store: CheckpointStore, session: Session, start: Int) {
        let (directory, start) = try recording()
        let store = try CheckpointStore.open(directory.path)
        let session = try Session(store: store)
        session.cursor.seek(toIndex: start + offset)
        try session.load(archetype: 0)
        return (directory, store, session, start)
    }

    /// Loads checkpoint `index` of `store` in a new session, steps forward
    /// once, and waits for the batch that step queued to finish.
    static func stepForward(_ store: CheckpointStore, from index: Int) throws {
        let session = try Session(store: store)
        session.cursor.seek(toIndex: index)
        try session.load(archetype: 0)
        session.cursor.step(1)
        try session.load(archetype: 0)
        store.blocks.ahead.settle()
    }

    /// A column of `values` and a reference to it by its content hash (no file behind it).
    static func block(_ values: [Float]) -> (BlockRef, Column) {
        let column = Column(values)
        return (BlockRef(contentHash: ContentHash(of: column), file: 1, offset: 0, length: 0), column)
    }

    /// Steps `session` by `step`, loads, and checks the view against a fresh session's at the same place.
    static func step(_ session: Session, _ step: Int, path: String) throws {
        session.cursor.step(step)
        try session.load(archetype: 0)
        let fresh = try Session(store: try CheckpointStore.open(path))
        fresh.cursor.seek(toIndex: session.cursor.position)
        try fresh.load(archetype: 0)
        #expect(session.view?.columns == fresh.view?.columns && session.view?.ids == fresh.view?.ids)
        #expect(session.view?.changes?.columns == fresh.view?.changes?.columns && session.view?.summary == fresh.view?.summary)
    }

    @Test("stepping forward onto a chain start takes what differs from the batch that learnt it ahead and decodes nothing, showing what a fresh session decodes")
    func forwardOntoAChainStart() throws {
        let (directory, store, session, start) = try Self.session(atChainStart: -3)
        #expect(session.lastLoad?.reads.decodedAhead == 0, "a seek decodes nothing ahead")
        for _ in 0..<2 {
            try Self.step(session, 1, path: directory.path)
            #expect(session.lastLoad?.reads.decodedAhead == 0)
        }
        try Self.step(session, 1, path: directory.path)
        #expect(session.cursor.position == start)
        try Self.expectCrossingLearntAhead(session, store, at: start)
    }

    /// The step onto chain start `index` decoded none of its full blocks (the columns stored
    /// as deltas apply onto the shown ones): every full one was learnt ahead, with what differs.
    static func expectCrossingLearntAhead(_ session: Session, _ store: CheckpointStore, at index: Int) throws {
        let timeline = try store.timeline(of: CheckpointStore.mainBranch)
        let changed = zip(timeline[index - 1].archetypes[0].columns, timeline[index].archetypes[0].columns).filter { $0.contentHash != $1.contentHash }
        let full = try crossing(store, at: index)
        let reads = try #require(session.lastLoad?.reads)
        #expect(!full.isEmpty && full.allSatisfy { session.learnt.knows($0, $1) }, "\(reads)")
        #expect(reads.decodedAhead == 0 && reads.blocksDecoded <= changed.count - full.count, "\(reads)")
    }

    @Test("stepping back onto a chain start takes what differs from the previous chain's end from the batch, and decodes nothing; nor does the step after it")
    func backOntoAChainStart() throws {
        let (directory, store, session, start) = try Self.session(atChainStart: 3)
        for _ in 0..<2 { try Self.step(session, -1, path: directory.path) }
        try Self.step(session, -1, path: directory.path)
        #expect(session.cursor.position == start)
        try Self.expectCrossingLearntAhead(session, store, at: start)
        try Self.step(session, -1, path: directory.path)
        #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))")
    }

    @Test("learning the next step's crossing compares the column shown as it is: the records under it are not read again")
    func learningTheNextCrossingTakesTheShownColumn() throws {
        let (directory, store, session, start) = try Self.session(atChainStart: -2)
        let crossing = try Self.crossing(store, at: start)
        try Session.holdingWorkAhead { () throws in
            session.cursor.step(1)
            try session.load(archetype: 0)
            // Before the batch starts, the shown versions' records are damaged in place: a batch
            // that decoded them again would fail and learn nothing.
            for (shown, _) in crossing {
                let file = try FileHandle(forUpdating: URL(fileURLWithPath: directory.path + "/" + StoreFileNames.data(shown.file)))
                try file.seek(toOffset: shown.offset + shown.length / 2)
                let byte = try #require(try file.read(upToCount: 1)?.first)
                try file.seek(toOffset: shown.offset + shown.length / 2)
                try file.write(contentsOf: [byte ^ 0x10])
                try file.close()
            }
        }
        session.cursor.step(1)
        try session.load(archetype: 0)
        try Self.expectCrossingLearntAhead(session, store, at: start)
    }

    @Test("one step queues both crossings it looks ahead to in one batch: once that batch is done, what both differ by is learnt")
    func bothCrossingsInOneBatch() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 24)
        var starts: [Int] = []
        for index in timeline.indices.dropFirst(2)
        where timeline[index - 1].archetypes[0].entities.contentHash == timeline[index].archetypes[0].entities.contentHash {
            if try !Self.crossing(store, at: index).isEmpty { starts.append(index) }
        }
        let (near, far) = try #require(zip(starts, starts.dropFirst()).first { $1 - $0 < Session.decodeAheadDistance - 1 })
        // The store's folder stays until the end.
        defer { withExtendedLifetime(directory) {} }
        try Self.stepForward(store, from: near - 2)
        let learnt = store.blocks.ahead.takeLearnt(waitingFor: [])
        for index in [near, far] {
            for (old, new) in try Self.crossing(store, at: index) {
                #expect(learnt.contains { $0.involves(old.contentHash) && $0.involves(new.contentHash) }, "crossing onto \(index)")
            }
        }
    }

    @Test("a step two before a tick where entities came and went queues that tick's id list with its columns, not only the step right before it")
    func idsOfATickThatMovesRowsTwoStepsAhead() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 26)
        defer { withExtendedLifetime(directory) {} }
        let moved = try #require(timeline.indices.dropFirst().first {
            timeline[$0 - 1].archetypes[0].entities.contentHash != timeline[$0].archetypes[0].entities.contentHash
        })
        try Self.stepForward(store, from: moved - 3)
        let ids = timeline[moved].archetypes[0].entities
        store.blocks.ahead.takeEntities(ids)
        #expect(store.blocks.cachedEntities(ids) != nil, "the batch held the id list of the tick two steps on")
    }

    @Test("a full block that fails its checksum, decoded ahead, is reported by the step onto it as a fresh session reports it, with its file and offset")
    func aDamagedBlockDecodedAhead() throws {
        let (directory, start) = try Self.recording()
        let clean = try CheckpointStore.open(directory.path)
        let timeline = try clean.timeline(of: CheckpointStore.mainBranch)
        let victim = try #require(zip(timeline[start - 1].archetypes[0].columns, timeline[start].archetypes[0].columns)
            .first { $0.contentHash != $1.contentHash && clean.blocks.isFullBlock($1) }?.1)
        let data = directory.path + "/" + StoreFileNames.data(victim.file)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[Int(victim.offset + victim.length / 2)] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: data))

        let fresh = try Session(store: try CheckpointStore.open(directory.path))
        fresh.cursor.seek(toIndex: start)
        #expect(throws: TimelineError.self) { try fresh.load(archetype: 0) }
        let expected = try #require(fresh.damaged[timeline[start].id])
        #expect(expected.contains(data) && expected.contains("\(victim.offset - 20)"), "\(expected)")

        let session = try Session(store: try CheckpointStore.open(directory.path))
        session.cursor.seek(toIndex: start - 2)
        try session.load(archetype: 0)
        session.cursor.step(1)
        try session.load(archetype: 0)
        session.cursor.step(1)
        #expect(throws: TimelineError.self) { try session.load(archetype: 0) }
        #expect(session.damaged[timeline[start].id] == expected && session.view == nil)
    }
}

extension DecodeAheadTests {
    @Test("a batch hands over the blocks asked for as soon as they are decoded, beside a block the background thread is still on; it carries what it was given; a block that fails is left out", .timeLimit(.minutes(1)))
    func aBatchHandsOverItsBlocksAsTheyFinish() throws {
        let (slow, slowColumn) = Self.block([1, 2, 3]), (quick, quickColumn) = Self.block([4, 5]), (broken, _) = Self.block([6])
        let (given, givenColumn) = Self.block([7, 8, 9, 10])
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let columns = [slow.contentHash: slowColumn, quick.contentHash: quickColumn]
        // The background thread starts on `slow` and stays there until released.
        let batch = DecodeAhead([slow, quick, broken], carrying: [given.contentHash: (given, givenColumn)]) { ref in
            if ref.contentHash == slow.contentHash { started.signal(); release.wait() }
            return columns[ref.contentHash]
        }
        started.wait()
        let taken = batch.take([quick.contentHash, given.contentHash, broken.contentHash])
        #expect(Set(taken.map(\.ref.contentHash)) == [quick.contentHash, given.contentHash])
        #expect(taken.first { $0.ref == quick }?.column == quickColumn && taken.first { $0.ref == given }?.column == givenColumn)
        #expect(!batch.isFinished && batch.holds(slow.contentHash) && !batch.holds(quick.contentHash) && !batch.holds(broken.contentHash))
        release.signal()
        let left = batch.remaining()
        #expect(Array(left.keys) == [slow.contentHash] && left[slow.contentHash]?.column == slowColumn && batch.isFinished)
    }
}

extension DecodeAheadTests {
    @Test("a batch learning from a block keeps what differs from each of its other versions, not the column; a block that fails leaves nothing", .timeLimit(.minutes(1)))
    func aBatchKeepsWhatItLearnt() throws {
        let (old, oldColumn) = Self.block([1, 2, 3, 4]), (new, newColumn) = Self.block([1, 9, 3, 7]), (twin, twinColumn) = Self.block([5, 2, 3, 4])
        let (broken, _) = Self.block([6, 6, 6, 6]), (plain, plainColumn) = Self.block([8])
        let columns = [old.contentHash: oldColumn, new.contentHash: newColumn, twin.contentHash: twinColumn, plain.contentHash: plainColumn]
        let batch = DecodeAhead([old, broken, plain], carrying: [:], learning: [old.contentHash: [new, twin], broken.contentHash: [new]], learn: { a, aColumn, b in
            guard let bColumn = columns[b.contentHash] else { return nil }
            return LearntChanges.Pair.between(a, b, rows: bColumn.rowsDiffering(from: aColumn), oldColumn: aColumn, newColumn: bColumn)
        }) { columns[$0.contentHash] }
        let pairs = batch.takeLearnt(waitingFor: [(new.contentHash, old.contentHash), (old.contentHash, twin.contentHash), (broken.contentHash, new.contentHash)])
        #expect(pairs.count == 2 && pairs.map(\.rows.list) == [[1, 3], [0]])
        var learnt = LearntChanges(budget: 1 << 20)
        for pair in pairs { learnt.adopt(pair) }
        // The new version rebuilt from the old one shown, and the other way round.
        let forward = try #require(learnt.patch(rebuilding: new) { $0 == old ? oldColumn : nil })
        #expect(forward.patch.apply(to: forward.source) == newColumn)
        let back = try #require(learnt.patch(rebuilding: old) { $0 == twin ? twinColumn : nil })
        #expect(back.patch.apply(to: back.source) == oldColumn)
        #expect(!batch.holds(old.contentHash) && !batch.holds(broken.contentHash) && batch.take([old.contentHash]).isEmpty)
        #expect(batch.take([plain.contentHash]).map(\.column) == [plainColumn] && batch.isEmpty)
    }

    @Test("a reader asking a batch for a column it is learning from is not kept waiting: it gets nothing, and what is learnt is still handed over", .timeLimit(.minutes(1)))
    func takingABlockLearntFromDoesNotWait() throws {
        let (old, oldColumn) = Self.block([1, 2, 3]), (new, newColumn) = Self.block([1, 5, 3])
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        // The background thread starts decoding `old` and stays there until released.
        let batch = DecodeAhead([old], carrying: [:], learning: [old.contentHash: [new]], learn: { a, aColumn, b in
            LearntChanges.Pair.between(a, b, rows: newColumn.rowsDiffering(from: aColumn), oldColumn: aColumn, newColumn: newColumn)
        }) { _ in
            started.signal()
            release.wait()
            return oldColumn
        }
        started.wait()
        #expect(batch.take([old.contentHash]).isEmpty && batch.holds(old.contentHash))
        release.signal()
        let pairs = batch.takeLearnt(waitingFor: [(old.contentHash, new.contentHash)])
        #expect(pairs.map(\.rows.list) == [[1]] && batch.isEmpty)
    }

    /// The columns of chain start `index` stored whole, with their versions at the checkpoint before.
    static func crossing(_ store: CheckpointStore, at index: Int) throws -> [(BlockRef, BlockRef)] {
        let timeline = try store.timeline(of: CheckpointStore.mainBranch)
        return zip(timeline[index - 1].archetypes[0].columns, timeline[index].archetypes[0].columns)
            .filter { $0.contentHash != $1.contentHash && store.blocks.isFullBlock($1) }
    }

    /// A session on W3 × 40 that has just stepped forward onto a chain start, and that crossing.
    static func steppedAcrossAChainStart() throws -> (directory: StoreDirectory, session: Session, start: Int, crossing: [(BlockRef, BlockRef)]) {
        let (directory, start) = try Self.recording(ticks: 40)
        let store = try CheckpointStore.open(directory.path)
        let session = try Session(store: store)
        session.cursor.seek(toIndex: start - 1)
        try session.load(archetype: 0)
        try Self.step(session, 1, path: directory.path)
        return (directory, session, start, try crossing(store, at: start))
    }

    @Test("what a step across a chain start taught is kept through a jump nearby and let go after a jump far away")
    func aJumpFarAwayForgetsLearntCrossings() throws {
        let (_, session, start, crossing) = try Self.steppedAcrossAChainStart()
        #expect(!crossing.isEmpty && crossing.allSatisfy { session.learnt.knows($0, $1) })
        session.cursor.seek(toIndex: start + 3)
        try session.load(archetype: 0)
        #expect(crossing.allSatisfy { session.learnt.knows($0, $1) }, "a jump within a chain's length keeps it")
        session.cursor.seek(toIndex: start + Session.decodeAheadDistance + 2)
        try session.load(archetype: 0)
        #expect(!crossing.contains { session.learnt.knows($0, $1) }, "a jump far away lets it go")
    }

    @Test("what a step across a chain start taught is let go once steps have walked a chain's length past it")
    func aWalkLetsGoOfCrossingsBehind() throws {
        let (_, session, start, crossing) = try Self.steppedAcrossAChainStart()
        #expect(!crossing.isEmpty && crossing.allSatisfy { session.learnt.knows($0, $1) })
        for _ in 0..<(Session.decodeAheadDistance + 1) {
            session.cursor.step(1)
            try session.load(archetype: 0)
        }
        #expect(session.cursor.position == start + Session.decodeAheadDistance + 1)
        #expect(!crossing.contains { session.learnt.knows($0, $1) }, "kept \(session.learnt.bytes) bytes")
    }
}

extension DecodeAheadTests {
    @Test("a batch decodes its entity-id list before its columns and hands it over once", .timeLimit(.minutes(1)))
    func aBatchHandsOverItsEntityIDs() throws {
        let (block, column) = Self.block([1, 2])
        let ids = [EntityID(3), EntityID(5)]
        let idBlock = BlockRef(contentHash: ContentHash(of: Column(ids.map(\.rawValue))), file: 1, offset: 0, length: 0)
        let order = Locked([String]())
        let batch = DecodeAhead([block], carrying: [:], entities: idBlock, decodeEntities: { _ in
            order.withLock { $0.append("ids") }
            return ids
        }) { _ in
            order.withLock { $0.append("column") }
            return column
        }
        #expect(batch.holdsEntities(idBlock.contentHash) && !batch.holdsEntities(block.contentHash))
        #expect(batch.takeEntities(idBlock.contentHash) == ids)
        #expect(batch.takeEntities(idBlock.contentHash) == nil && !batch.holdsEntities(idBlock.contentHash) && !batch.isEmpty)
        #expect(batch.take([block.contentHash]).map(\.column) == [column] && batch.isEmpty)
        _ = batch.remaining()
        #expect(order.withLock { $0 } == ["ids", "column"])

    }

    @Test("walking back onto a checkpoint where entities left and joined, the ids of the one before it (to pair rows by) were decoded ahead: the reader's thread decodes nothing itself")
    func backOntoReplacedEntities() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 28)
        let replacing = try #require(timeline.firstIndex { $0.tick == 25 })
        let session = try Session(store: store)
        // A seek starts nothing ahead; the step back from there starts the batch the next step needs.
        session.cursor.seek(toIndex: replacing + 2)
        try session.load(archetype: 0)
        try Self.step(session, -1, path: directory.path)
        try Self.step(session, -1, path: directory.path)
        #expect(session.cursor.position == replacing)
        let reads = try #require(session.lastLoad?.reads)
        #expect(reads.decodedAhead >= 1 && reads.blocksDecoded == reads.decodedAhead, "\(reads)")
    }
}

extension DecodeAheadTests {
    @Test("a reader waits only for the blocks it takes: not for the rest of the batch, and it decodes none of the others", .timeLimit(.minutes(1)))
    func aReaderWaitsOnlyForItsBlocks() throws {
        let (first, firstColumn) = Self.block([1, 2]), (second, secondColumn) = Self.block([3, 4])
        let firstStarted = DispatchSemaphore(value: 0), releaseFirst = DispatchSemaphore(value: 0), releaseSecond = DispatchSemaphore(value: 0)
        let reader = pthread_self(), secondOnReader = Locked(false)
        // The background thread holds on to the first block; the second waits until the end of the test
        // (five seconds at most), so a reader that decoded it, or waited for the whole batch, would wait too.
        let batch = DecodeAhead([first, second], carrying: [:]) { block in
            if block == first {
                firstStarted.signal()
                _ = releaseFirst.wait(timeout: .now() + .seconds(5))
                return firstColumn
            }
            secondOnReader.withLock { $0 = pthread_equal(pthread_self(), reader) != 0 }
            _ = releaseSecond.wait(timeout: .now() + .seconds(5))
            return secondColumn
        }
        firstStarted.wait()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { releaseFirst.signal() }
        let taken = batch.take([first.contentHash])
        #expect(taken.map(\.column) == [firstColumn] && !batch.isFinished && !secondOnReader.withLock { $0 })
        releaseSecond.signal()
        #expect(batch.remaining()[second.contentHash]?.column == secondColumn)
    }
}

extension DecodeAheadTests {
    @Test("an id list that fails its checksum, decoded ahead, is reported by the step that needs it as a fresh session reports it, with its file and offset")
    func aDamagedIDListDecodedAhead() throws {
        let (directory, clean, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 28)
        let replacing = try #require(timeline.firstIndex { $0.tick == 25 })
        // The ids of the tick before the replacement: the step back onto tick 25 pairs rows by them.
        let victim = timeline[replacing - 1].archetypes[0].entities
        #expect(victim.contentHash != timeline[replacing].archetypes[0].entities.contentHash)
        let data = directory.path + "/" + StoreFileNames.data(victim.file)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[Int(victim.offset + victim.length / 2)] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        withExtendedLifetime(clean) {}

        let fresh = try Session(store: try CheckpointStore.open(directory.path))
        fresh.cursor.seek(toIndex: replacing)
        #expect(throws: TimelineError.self) { try fresh.load(archetype: 0) }
        let expected = try #require(fresh.damaged[timeline[replacing].id])
        #expect(expected.contains(data), "\(expected)")

        let session = try Session(store: try CheckpointStore.open(directory.path))
        session.cursor.seek(toIndex: replacing + 2)
        try session.load(archetype: 0)
        session.cursor.step(-1)
        try session.load(archetype: 0)
        session.cursor.step(-1)
        #expect(throws: TimelineError.self) { try session.load(archetype: 0) }
        #expect(session.damaged[timeline[replacing].id] == expected && session.view == nil)
    }
}
