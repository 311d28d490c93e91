import Foundation
import PackCodec
import Testing
@testable import Timeline

/// Bridged blocks (store 1.9, data record kind 4): a chain start that also
/// stores the delta from its parent's column, so that a step across it,
/// either way, and a diff of the two checkpoints read that one record
/// instead of decoding the chain before it.
@Suite struct BridgedBlockTests {
    /// One archetype of `rows` entities with one `Position.x` column; at
    /// tick `t` the rows whose number ends in the digit `t % 10` move.
    static func world(rows: Int = 2_000, tick: UInt64) -> Snapshot {
        let position = ComponentType(name: "Position", fields: [Field("x", .float32)])
        let values = (0..<rows).map { row -> Float in
            // The last tick up to `tick` that moved this row (0: none yet).
            let last = Int(tick) - ((Int(tick) - row % 10) % 10 + 10) % 10
            return Float(row) + Float(max(0, last)) * 0.25
        }
        return Snapshot(
            schema: Schema(components: [position]),
            archetypes: [Archetype(components: [position], entities: (1...UInt64(rows)).map(EntityID.init(rawValue:)), columns: [Column(values)])],
            resources: Resources(tick: tick, worldTime: Double(tick), seed: 1, custom: [:]), metadata: [:])
    }

    /// Ticks 0...`ticks` of ``world(rows:tick:)``, uncompressed, with a
    /// bridge on every chain start (`bridges`: the writer's size floor
    /// lowered to nothing) or on none.
    static func recording(ticks: UInt64 = 20, bridges: Bool = true, key: EncryptionKey? = nil)
        throws -> (directory: StoreDirectory, store: CheckpointStore, timeline: [Checkpoint]) {
        let directory = StoreDirectory()
        let writer = try CheckpointStore.openForWriting(directory.path, key: key)
        writer.writer!.minimumBridgedBytes = bridges ? 0 : .max
        for tick in 0...ticks {
            try writer.commit(world(tick: tick), info: CheckpointInfo(name: "t\(tick)"), options: WriteOptions(codec: .none))
        }
        let store = try CheckpointStore.open(directory.path, key: key)
        return (directory, store, try store.timeline(of: CheckpointStore.mainBranch))
    }

    /// Writes `bytes` over the file at `path` from `offset`.
    static func overwrite(_ bytes: [UInt8], at offset: UInt64, in path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }

    /// XORs the byte at `offset` of the file at `path` with `mask`.
    static func flip(_ mask: UInt8, at offset: UInt64, in path: String) throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.close()
        try overwrite([byte ^ mask], at: offset, in: path)
    }

    /// The positions in `timeline` whose column is a full block with a bridge.
    static func bridged(_ store: CheckpointStore, _ timeline: [Checkpoint]) -> [Int] {
        timeline.indices.filter { (try? store.blocks.recordKind(of: timeline[$0].archetypes[0].columns[0])) == BridgedBlock.kind }
    }

    @Test("golden bytes: a kind-4 payload is the bridge's length, the bridge with a content hash for a base, then the full block")
    func goldenPayload() throws {
        let old = Column([Float(1), 2, 3, 4]), new = Column([Float(1), 2.5, 3, 4])
        let patch = try #require(try ColumnDelta.make(from: old, to: new, xorsValues: true, options: WriteOptions(codec: .none)))
        let base = BlockRef(contentHash: ContentHash(of: old), file: 7, offset: 99, length: 12)
        let delta = ColumnDelta(base: base, depth: 5, xorsValues: true, rows: patch.rows, values: patch.values)
        let full = try ColumnBlock.encode(new, options: WriteOptions(codec: .none)).recordBytes
        let payload = try BridgedBlock.payload(full: full, bridge: delta)
        let bridgeLength = payload.count - 8 - full.count
        // The bridge's base keeps its content hash only, at depth 1; its flags say XORed values.
        var expected: [UInt8] = withUnsafeBytes(of: UInt64(bridgeLength).littleEndian, Array.init)
        expected += ContentHash(of: old).bytes + [UInt8](repeating: 0, count: 4 + 8 + 8) + [1, ColumnDelta.xorFlag]
        #expect(Array(payload.prefix(expected.count)) == expected)
        #expect(Array(payload.suffix(full.count)) == full)
        #expect(payload.count == 8 + bridgeLength + full.count)
        let read = try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) }
        #expect(read.bridge.base.contentHash == ContentHash(of: old) && read.fullBlock == payload.count - full.count..<payload.count)
        #expect(try read.bridge.apply(to: old, rows: try read.bridge.changedRows()) == new)
        #expect(ContentHash(bytes: payload[BridgedBlock.baseHashRange]) == ContentHash(of: old))
        // A bridge that names a place for its base, or a depth, is malformed.
        var placed = payload
        placed[8 + 32] = 1
        #expect(throws: PackError.self) { try placed.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) } }
        var cut = payload
        cut.removeLast(full.count)
        #expect(throws: PackError.self) { try cut.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) } }
    }

    @Test("a chain start stores the delta from its parent's column: its full block and its bridge both give the recorded column, and the diff lists exactly the moved rows")
    func bridgesAtChainStarts() throws {
        let (_, store, timeline) = try Self.recording()
        let starts = Self.bridged(store, timeline)
        #expect(starts.count >= 2, "chain starts with bridges: \(starts)")
        let (_, plain, plainTimeline) = try Self.recording(bridges: false)
        for index in starts {
            let (old, new) = (timeline[index - 1].archetypes[0].columns[0], timeline[index].archetypes[0].columns[0])
            #expect(try store.blocks.bridgeBase(of: new) == old.contentHash)
            #expect(store.blocks.storesChange(of: new, from: old) && store.blocks.isFullBlock(new))
            let tick = UInt64(index)
            let moved = (0..<2_000).filter { $0 % 10 == Int(tick % 10) }.map(UInt32.init)
            #expect(try store.changedRows(of: new, against: old) == moved)
            #expect(try store.snapshot(timeline[index].id).archetypes[0].columns == Self.world(tick: tick).archetypes[0].columns)
            // Without bridges the same checkpoint is a plain full block: no record says what moved.
            let plainNew = plainTimeline[index].archetypes[0].columns[0]
            #expect(try plain.blocks.recordKind(of: plainNew) == 1)
            #expect(!plain.blocks.storesChange(of: plainNew, from: plainTimeline[index - 1].archetypes[0].columns[0]))
        }
        #expect(store.verify().isEmpty, "\(store.verify())")
    }

    @Test("steps across a bridged chain start, back and forward, learn nothing ahead, decode no block on the way back, and show what a fresh session shows (plain and encrypted)",
          arguments: [false, true])
    func stepsAcrossABridge(encrypted: Bool) throws {
        let key = encrypted ? try EncryptionKey.random() : nil
        let (directory, store, timeline) = try Self.recording(key: key)
        let start = try #require(Self.bridged(store, timeline).first)
        let session = try Session(store: store)
        session.cursor.seek(toIndex: start)
        try session.load(archetype: 0)
        for step in [-1, 1, -1] {
            session.cursor.step(step)
            try session.load(archetype: 0)
            if step < 0 { #expect(session.lastLoad?.reads.blocksDecoded == 0, "\(String(describing: session.lastLoad?.reads))") }
            let fresh = try Session(store: try CheckpointStore.open(directory.path, key: key))
            fresh.cursor.seek(toIndex: session.cursor.position)
            try fresh.load(archetype: 0)
            #expect(session.view?.columns == fresh.view?.columns && session.view?.ids == fresh.view?.ids)
            #expect(session.view?.changes?.columns == fresh.view?.changes?.columns && session.view?.summary == fresh.view?.summary)
            #expect(session.view?.columns == Self.world(tick: UInt64(session.cursor.position)).archetypes[0].columns)
        }
        // No chain end was decoded to learn the crossing: the bridge said it.
        _ = store.blocks.ahead.takeLearnt(waitingFor: [])
        #expect(session.learnt.bytes == 0)
    }

    @Test("a walk forward onto a bridged chain start takes what the background thread read from its bridge alone: a damaged full block beside it is never read, the step decodes nothing, and both ways show the recorded worlds")
    func aWalkForwardReadsTheBridgesAhead() throws {
        let (directory, store, timeline) = try Self.recording()
        let start = try #require(Self.bridged(store, timeline).first)
        // A byte of the full block's half flipped: reading the record whole fails its checksum.
        let ref = timeline[start].archetypes[0].columns[0]
        try Self.flip(0x01, at: ref.offset + ref.length - 5, in: store.blocks.dataPath(ref.file))
        let session = try Session(store: try CheckpointStore.open(directory.path))
        session.cursor.seek(toIndex: start - 2)
        try session.load(archetype: 0)
        for step in [1, 1, -1] {
            session.cursor.step(step)
            try session.load(archetype: 0)
            #expect(session.view?.columns == Self.world(tick: UInt64(session.cursor.position)).archetypes[0].columns)
            // Onto the chain start, and back from it: patched from the columns shown, nothing decoded.
            let reads = try #require(session.lastLoad?.reads)
            if session.cursor.position == start { #expect(reads.blocksDecoded == 0 && reads.learntAhead >= 1, "\(reads)") }
            if step < 0 { #expect(reads.blocksDecoded == 0, "\(reads)") }
        }
        // A fresh session that seeks there reads the whole record and reports it.
        let fresh = try Session(store: try CheckpointStore.open(directory.path))
        fresh.cursor.seek(toIndex: start)
        #expect(throws: TimelineError.self) { try fresh.load(archetype: 0) }
    }

    @Test("a bridge from contents the checkpoint before no longer holds (its parent deleted) is not used: the steps decode the full block")
    func bridgeAfterTheParentIsGone() throws {
        let (directory, store, timeline) = try Self.recording()
        let start = try #require(Self.bridged(store, timeline).first)
        let writer = try CheckpointStore.openForWriting(directory.path)
        try writer.delete([timeline[start - 1].id])
        let after = try CheckpointStore.open(directory.path)
        let shortened = try after.timeline(of: CheckpointStore.mainBranch)
        let landing = try #require(shortened.firstIndex { $0.id == timeline[start].id })
        let (old, new) = (shortened[landing - 1].archetypes[0].columns[0], shortened[landing].archetypes[0].columns[0])
        #expect(!after.blocks.storesChange(of: new, from: old))
        let session = try Session(store: after)
        session.cursor.seek(toIndex: landing - 1)
        try session.load(archetype: 0)
        for step in [1, -1] {
            session.cursor.step(step)
            try session.load(archetype: 0)
            let tick = try #require(session.cursor.current?.tick)
            #expect(session.view?.columns == Self.world(tick: tick).archetypes[0].columns)
        }
        #expect(after.verify().isEmpty, "\(after.verify())")
        // gc copies kind-4 records as they are: the other bridges still apply where they moved.
        _ = try writer.collectGarbage()
        let collected = try CheckpointStore.open(directory.path)
        let kept = try collected.timeline(of: CheckpointStore.mainBranch)
        let bridgedAfter = Self.bridged(collected, kept)
        #expect(bridgedAfter.map { kept[$0].id } == Self.bridged(store, timeline).map { timeline[$0].id })
        for index in bridgedAfter where kept[index - 1].id != timeline[start - 2].id {
            #expect(collected.blocks.storesChange(of: kept[index].archetypes[0].columns[0], from: kept[index - 1].archetypes[0].columns[0]))
        }
        #expect(collected.verify().isEmpty, "\(collected.verify())")
    }

    @Test("verify names a bridge whose delta does not give its block's contents, though every checksum holds")
    func verifyCatchesALyingBridge() throws {
        let (directory, store, timeline) = try Self.recording()
        let start = try #require(Self.bridged(store, timeline).first)
        let ref = timeline[start].archetypes[0].columns[0]
        let (old, new) = (Self.world(tick: UInt64(start - 1)).archetypes[0].columns[0], Self.world(tick: UInt64(start)).archetypes[0].columns[0])
        // The same rows, other values: a patch from a column the base is not.
        var other = old.values(as: Float.self)
        let moved = new.values(as: Float.self)
        for row in other.indices where other[row] != moved[row] { other[row] = moved[row] + 1 }
        let patch = try #require(try ColumnDelta.make(from: Column(other), to: new, xorsValues: true, options: WriteOptions(codec: .none)))
        let lie = ColumnDelta(base: BlockRef(contentHash: ContentHash(of: old), file: 0, offset: 0, length: 0), depth: 1, xorsValues: true,
                              rows: patch.rows, values: patch.values)
        let file = try #require(store.blocks.files[ref.file])
        let (_, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        let honest = try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) }
        let forged = try BridgedBlock.payload(full: Array(payload[honest.fullBlock]), bridge: lie)
        #expect(forged.count == payload.count)
        let recordStart = ref.offset - UInt64(RecordFile.recordHeaderSize)
        let record = try file.frame(kind: BridgedBlock.kind, payload: forged, appendedAt: recordStart)
        try Self.overwrite(record, at: recordStart, in: store.blocks.dataPath(ref.file))
        let problems = try CheckpointStore.open(directory.path).verify()
        #expect(problems.count == 1 && problems[0].contains("offset \(ref.offset)") && problems[0].contains("bridge"), "\(problems)")
    }

    @Test("a step reads a bridge alone in a plain store, checked by its blocks' own checksums: a byte flipped in it is an error naming the data file, never a wrong column")
    func aDamagedBridgeIsAnError() throws {
        let (directory, store, timeline) = try Self.recording()
        let start = try #require(Self.bridged(store, timeline).first)
        let ref = timeline[start].archetypes[0].columns[0]
        let file = try #require(store.blocks.files[ref.file])
        let (_, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        let bridged = try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) }
        // The last value byte of the bridge (uncompressed: a value's byte, under its block's checksum only once the record's is not read).
        let path = store.blocks.dataPath(ref.file)
        try Self.flip(0x10, at: ref.offset + UInt64(bridged.fullBlock.lowerBound - 1), in: path)
        let session = try Session(store: try CheckpointStore.open(directory.path))
        session.cursor.seek(toIndex: start)
        #expect(throws: TimelineError.self) { try session.load(archetype: 0) }
        session.cursor.seek(toIndex: start - 1)
        try session.load(archetype: 0)
        session.cursor.step(1)
        do {
            try session.load(archetype: 0)
            Issue.record("the step onto the damaged bridge showed \(String(describing: session.view?.columns.first?.count)) rows")
        } catch {
            #expect(error.description.contains(path), "\(error)")
        }
    }
}
