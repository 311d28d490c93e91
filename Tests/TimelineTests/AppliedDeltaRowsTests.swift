import PackCodec
import Testing
@testable import Timeline

/// A step's changes take the rows of the deltas its decode applied instead
/// of reading those records again; what the step shows is unchanged.
@Suite struct AppliedDeltaRowsTests {
    @Test("stepping forward through W3 reads again no delta record its decode applied, and shows what a fresh session shows")
    func stepsReadEachDeltaOnce() throws {
        let (directory, store, timeline) = try StoreDirectory.w3(entities: 5_000, ticks: 30)
        let session = try Session(store: store)
        try session.load(archetype: 0)
        var deltaColumns = 0, fullColumns = 0, reads = 0
        for index in 1..<timeline.count {
            try DecodeAheadTests.step(session, 1, path: directory.path)
            let read = try #require(session.lastLoad?.reads).changeRecordsRead
            let changed = zip(timeline[index - 1].archetypes[0].columns, timeline[index].archetypes[0].columns).filter { $0.contentHash != $1.contentHash }
            let full = changed.filter { store.blocks.isFullBlock($0.1) }.count
            deltaColumns += changed.count - full
            fullColumns += full
            reads += read
            // A column stored whole is compared with its predecessor by
            // asking whether that one is a delta on it (one record read);
            // every delta the step decoded says what changed by itself.
            #expect(read <= full, "step onto \(timeline[index].id): \(read) records read again, \(full) full columns")
        }
        #expect(deltaColumns >= 100 && reads <= fullColumns, "\(reads) records read for \(deltaColumns) delta and \(fullColumns) full columns")
    }

    @Test("kept rows are taken once, only for the base and kind they were kept for, and at most the capacity are kept")
    func keptRowsAreTakenOnce() {
        let kept = AppliedDeltaRows()
        let hashes = (0..<(kept.capacity + 2)).map { ContentHash(of: Column([UInt32($0)])) }
        let base = ContentHash(of: Column([UInt32(999)]))
        for (index, hash) in hashes.enumerated() { kept.keep(.init(base: base, remap: nil, rows: [UInt32(index)]), for: hash) }
        #expect(kept.take(hashes[0], base: base, remapped: false) == nil, "the oldest were let go")
        #expect(kept.take(hashes[2], base: hashes[1], remapped: false) == nil, "another base")
        #expect(kept.take(hashes[2], base: base, remapped: true) == nil, "a delta that moved no rows")
        #expect(kept.take(hashes[2], base: base, remapped: false)?.rows == [2])
        #expect(kept.take(hashes[2], base: base, remapped: false) == nil, "taken once")
        kept.forget()
        #expect(kept.take(hashes[3], base: base, remapped: false) == nil)
    }
}
