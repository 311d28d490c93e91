import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Checkpoints encoded but not yet committed: their index records, the
/// data bytes to append, and what later worlds of the same commit need
/// to find them (blocks by hash, delta chains, the last world).
struct PendingCommit {
    var records: [IndexRecord] = []
    var data: [UInt8] = []
    var refs: [ContentHash: BlockRef] = [:]
    var chains: [ContentHash: ColumnDelta.ChainPosition] = [:]
    var checkpoints: [Checkpoint] = []
    var newBranches: Set<String> = []
    var last: (id: CheckpointID, snapshot: Snapshot)?

    /// Encodes a world as the next checkpoint of this commit, by `writer`
    /// (whose store's blocks it references and whose data file it will append to);
    /// a branch that does not exist yet is created, forked from
    /// `forkedFrom`.
    @discardableResult
    mutating func stage(
        _ snapshot: Snapshot, branch: String, parent: CheckpointID?, info: CheckpointInfo, options: WriteOptions, forkedFrom: CheckpointID?,
        on writer: StoreWriter
    ) throws(TimelineError) -> Checkpoint {
        let store = writer.store
        do { try snapshot.validateStructure() } catch { throw .invalidRequest(error.description) }
        if store.catalog.branch(named: branch) == nil && !newBranches.contains(branch) {
            try BranchName.validate(branch)
            records.append(.branch(Branch(name: branch, forkedFrom: forkedFrom, createdAt: store.now())))
            newBranches.insert(branch)
        }
        // By default the branch's last checkpoint; on a fork that has none yet, its fork point.
        let parentID = parent ?? checkpoints.last(where: { $0.branch == branch })?.id ?? store.lastCheckpoint(onBranch: branch)?.id
            ?? store.catalog.branch(named: branch)?.forkedFrom
        // The parent's world, when this writer just committed or staged it:
        // the base for delta blocks without decoding anything.
        let base = (last ?? writer.lastCommitted).flatMap { $0.id == parentID ? $0.snapshot : nil }
        let baseCheckpoint = parentID.flatMap { id in checkpoints.first { $0.id == id } ?? store.checkpoint(id) }
        let file = store.dataFiles[store.manifest.dataFiles.last!.number]!
        func append(
            _ hash: ContentHash, statistics: () -> ColumnStatistics?,
            delta: (() throws(PackError) -> (ColumnDelta, ColumnDelta.ChainPosition?)?)? = nil,
            _ encode: () throws(PackError) -> ColumnBlock
        ) throws(TimelineError) -> BlockRef {
            if var existing = writer.blocksByHash[hash] ?? refs[hash] {
                // A block stored by an older writer has none yet: this reference gets them.
                if existing.statistics == nil { existing.statistics = statistics() }
                return existing
            }
            let kind: UInt8
            let payload: [UInt8]
            do throws(PackError) {
                let made = try delta?()
                if let (delta, basePosition) = made, case let patch = try delta.payload(),
                    let position = basePosition?.extended(by: patch.count) {
                    kind = delta.recordKind
                    payload = patch
                    chains[hash] = position
                } else {
                    let full = try encode().recordBytes
                    chains[hash] = .full(full.count)
                    // A chain starts here; a large one keeps the delta from the parent as its bridge.
                    if let (bridge, _) = made, full.count >= writer.minimumBridgedBytes {
                        kind = BridgedBlock.kind
                        payload = try BridgedBlock.payload(full: full, bridge: bridge)
                    } else {
                        kind = 1
                        payload = full
                    }
                }
            } catch { throw .invalidRequest(error.description) }
            let record = try file.frame(kind: kind, payload: payload, appendedAt: file.length + UInt64(data.count))
            let ref = BlockRef(
                contentHash: hash, file: file.number,
                offset: file.length + UInt64(data.count + RecordFile.recordHeaderSize),
                length: UInt64(record.count - RecordFile.recordHeaderSize), statistics: statistics())
            data.append(contentsOf: record)
            refs[hash] = ref
            return ref
        }
        var stored: [StoredArchetype] = []
        for archetype in snapshot.archetypes {
            let names = archetype.components.map(\.name)
            // What the caller handed over unchanged is the parent's block, found without hashing: the very
            // buffers of the parent's world (a recorder shares an unchanged column with the frame before), or
            // the same bytes (a comparison that stops at the first difference costs a hundredth of a SHA-256).
            let sameArchetype = base.flatMap { base in
                base.archetypeIndex(ArchetypeSignature(names))
                    .flatMap { index in baseCheckpoint?.archetypes.indices.contains(index) == true ? (base.archetypes[index], baseCheckpoint!.archetypes[index]) : nil }
            }
            let idsShared = sameArchetype.map { Self.sameBytes($0.0.entities, archetype.entities) } ?? false
            /// The parent's stored column `index`, when the caller handed over its very buffers (or the same bytes).
            func sharedColumn(_ index: Int) -> BlockRef? {
                guard let (baseWorld, baseStored) = sameArchetype, idsShared, index < baseWorld.columns.count, index < baseStored.columns.count,
                    baseWorld.columns[index].type == archetype.columns[index].type,
                    Self.sameBytes(baseWorld.columns[index].storage, archetype.columns[index].storage),
                    Self.sameBytes(baseWorld.columns[index].ends, archetype.columns[index].ends)
                else { return nil }
                return baseStored.columns[index]
            }
            let shared = archetype.columns.indices.map(sharedColumn)
            // SHA-256 is most of a save's work: the ids and the columns that are new are hashed on all cores
            // first, unless the archetype is small (a world of many small archetypes would pay for waking threads).
            let rawBytes = archetype.columns.reduce(archetype.count * 8) { $0 + $1.storage.count }
            let hashes = AllCores.map(archetype.columns.count + 1, inParallel: rawBytes >= 256 << 10) { job -> ContentHash? in
                guard job < archetype.columns.count else {
                    return idsShared ? nil : ContentHash(type: .uint64, count: archetype.count, raw: archetype.entities.withUnsafeBytes { Array($0) })
                }
                return shared[job] == nil ? ContentHash(of: archetype.columns[job]) : nil
            }
            let idHash = idsShared ? sameArchetype!.1.entities.contentHash : hashes[archetype.columns.count]!
            let ids = try append(idHash, statistics: { archetype.entities.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: .uint64) } }) {
                () throws(PackError) in try ColumnBlock.encode(entities: archetype.entities, options: options)
            }
            // The same archetype in the parent, with the very same entities in the same rows; or, when
            // a few entities left and joined (kept ones in order, new ones after them), with its rows remapped.
            let sameRows = baseCheckpoint?.archetypes.firstIndex { $0.signature.names == names && $0.entities.contentHash == idHash }
            var remap: RowRemap?
            if sameRows == nil, let base, let index = baseCheckpoint?.archetypes.firstIndex(where: { $0.signature.names == names }),
                index < base.archetypes.count {
                remap = RowRemap.between(old: base.archetypes[index].entities, new: archetype.entities,
                                         limit: archetype.count / ColumnDelta.maxChangedFraction)
            }
            let baseIndex = sameRows ?? (remap == nil ? nil : baseCheckpoint?.archetypes.firstIndex { $0.signature.names == names })
            var columns: [BlockRef] = []
            for (index, column) in archetype.columns.enumerated() {
                if let ref = shared[index] {
                    columns.append(ref)
                    continue
                }
                let hash = hashes[index]!
                // The delta on the parent's column, with where that column stands in its chain (`nil`: the chain
                // is full, or its position unknown; the delta can then only be a bridge).
                let delta: (() throws(PackError) -> (ColumnDelta, ColumnDelta.ChainPosition?)?)? = {
                    // The parent's world and its stored form list archetypes in the same order.
                    guard let base, let baseIndex, let baseCheckpoint, baseIndex < base.archetypes.count else { return nil }
                    let baseRef = baseCheckpoint.archetypes[baseIndex].columns[index]
                    let position = (chains[baseRef.contentHash] ?? writer.chainPositions[baseRef.contentHash]).flatMap {
                        $0.extended(by: 0) == nil ? nil : $0
                    }
                    // A bridge only for a column that may be stored large enough to get one.
                    if position == nil, column.storage.count < writer.minimumBridgedBytes { return nil }
                    let baseArchetype = base.archetypes[baseIndex]
                    return { () throws(PackError) in
                        guard let patch = try ColumnDelta.make(from: baseArchetype.columns[index], to: column, remap: remap, xorsValues: true, options: options)
                        else { return nil }
                        let delta = ColumnDelta(base: baseRef, depth: (position?.depth ?? 0) + 1, remap: remap, xorsValues: true,
                                                rows: patch.rows, values: patch.values)
                        return (delta, position)
                    }
                }()
                let statistics = { column.type.width == nil ? nil : column.storage.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: column.type) } }
                columns.append(try append(hash, statistics: statistics, delta: delta) { () throws(PackError) in try ColumnBlock.encode(column, options: options) })
            }
            var counted = StoredArchetype(components: archetype.components, entityCount: archetype.count, entities: ids, columns: columns)
            counted.entities.valueCount = archetype.count
            for index in counted.columns.indices { counted.columns[index].valueCount = archetype.count }
            stored.append(counted)
        }
        guard store.catalog.lastID < UInt64.max - UInt64(checkpoints.count) else { throw .invalidRequest("\(store.path): every checkpoint id has been used") }
        let checkpoint = Checkpoint(
            id: CheckpointID(rawValue: store.catalog.lastID + 1 + UInt64(checkpoints.count)), parent: parentID, branch: branch,
            tick: snapshot.resources.tick, worldTime: snapshot.resources.worldTime, createdAt: store.now(), info: info,
            schema: snapshot.schema, seed: snapshot.resources.seed, customResources: snapshot.resources.custom,
            metadata: snapshot.metadata, archetypes: stored)
        records.append(.checkpoint(checkpoint))
        checkpoints.append(checkpoint)
        last = (checkpoint.id, snapshot)
        return checkpoint
    }

    /// Whether two arrays of plain values hold the same bytes: one buffer
    /// (copy-on-write shares it until a change), or equal contents.
    static func sameBytes<Element: BitwiseCopyable>(_ a: [Element], _ b: [Element]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in x.baseAddress == y.baseAddress || x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }
}
