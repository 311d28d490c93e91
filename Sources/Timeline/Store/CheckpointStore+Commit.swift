import PackCodec

extension CheckpointStore {
    /// The name of the branch a new store records on.
    public static let mainBranch = "main"

    /// Saves a world as a new checkpoint at the end of `branch` (created
    /// when it does not exist yet, as a root branch).
    ///
    /// Columns whose contents are already stored (by SHA-256) are referenced,
    /// not written again. The commit is one append to the data file, one to
    /// the index file and a manifest swap; killed at any instant, the store
    /// reopens either with this checkpoint complete or without it.
    /// - Parameters:
    ///   - parent: the checkpoint this one follows; by default the branch's
    ///     last checkpoint.
    /// - Returns: the new checkpoint.
    @discardableResult
    public func commit(
        _ snapshot: Snapshot, branch: String = CheckpointStore.mainBranch, parent: CheckpointID? = nil,
        info: CheckpointInfo = CheckpointInfo(), options: WriteOptions = WriteOptions(codec: .zstd(level: 1))
    ) throws(TimelineError) -> Checkpoint {
        try commit(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: nil)
    }

    /// Saves several worlds, in order, at the end of `branch` as one
    /// commit: killed or failing at any point, the store has all of them or
    /// none. Each world follows the one before it.
    ///
    /// The worlds are asked for one at a time and encoded as they come, so
    /// only their encoded bytes wait in memory for the commit.
    /// - Parameters:
    ///   - count: how many worlds.
    ///   - world: the world at an index in `0..<count`, with its info; an
    ///     error it throws commits nothing.
    /// - Returns: the new checkpoints.
    @discardableResult
    public func commit(
        count: Int, branch: String = CheckpointStore.mainBranch, options: WriteOptions = WriteOptions(codec: .zstd(level: 1)),
        world: (Int) throws -> (snapshot: Snapshot, info: CheckpointInfo)
    ) throws -> [Checkpoint] {
        try requireWritable()
        var batch = PendingCommit()
        for index in 0..<max(0, count) {
            let (snapshot, info) = try world(index)
            try stage(snapshot, branch: branch, parent: nil, info: info, options: options, forkedFrom: nil, into: &batch)
        }
        try commit(batch)
        return batch.checkpoints
    }

    /// Saves a world; a branch that does not exist yet is created in the
    /// same commit, forked from `forkedFrom` (a root branch when `nil`), so
    /// a fork and its first checkpoint appear together or not at all.
    func commit(
        _ snapshot: Snapshot, branch: String, parent: CheckpointID?, info: CheckpointInfo, options: WriteOptions, forkedFrom: CheckpointID?
    ) throws(TimelineError) -> Checkpoint {
        try requireWritable()
        var batch = PendingCommit()
        let checkpoint = try stage(snapshot, branch: branch, parent: parent, info: info, options: options, forkedFrom: forkedFrom, into: &batch)
        try commit(batch)
        return checkpoint
    }

    /// Checkpoints encoded but not yet committed: their index records, the
    /// data bytes to append, and what later worlds of the same commit need
    /// to find them (blocks by hash, delta depths, the last world).
    struct PendingCommit {
        var records: [IndexRecord] = []
        var data: [UInt8] = []
        var refs: [[UInt8]: BlockRef] = [:]
        var depths: [[UInt8]: Int] = [:]
        var checkpoints: [Checkpoint] = []
        var newBranches: Set<String> = []
        var last: (id: CheckpointID, snapshot: Snapshot)?
    }

    /// Appends a pending commit's data and records, then lets its blocks
    /// and last world serve the next commit.
    private func commit(_ batch: PendingCommit) throws(TimelineError) {
        guard !batch.records.isEmpty else { return }
        try commitRecords(batch.records, data: batch.data)
        chainDepth.merge(batch.depths) { _, new in new }
        if let last = batch.last { lastCommitted = last }
    }

    /// Encodes a world into `batch` as the next checkpoint.
    @discardableResult
    private func stage(
        _ snapshot: Snapshot, branch: String, parent: CheckpointID?, info: CheckpointInfo, options: WriteOptions, forkedFrom: CheckpointID?,
        into batch: inout PendingCommit
    ) throws(TimelineError) -> Checkpoint {
        do { try snapshot.validateStructure() } catch { throw .invalidRequest(error.description) }
        if branchTable[branch] == nil && !batch.newBranches.contains(branch) {
            try BranchName.validate(branch)
            batch.records.append(.branch(Branch(name: branch, forkedFrom: forkedFrom, createdAt: now())))
            batch.newBranches.insert(branch)
        }
        let parentID = parent ?? batch.checkpoints.last(where: { $0.branch == branch })?.id ?? lastCheckpoint(onBranch: branch)?.id
        // The parent's world, when this writer just committed or staged it:
        // the base for delta blocks without decoding anything.
        let base = (batch.last ?? lastCommitted).flatMap { $0.id == parentID ? $0.snapshot : nil }
        let baseCheckpoint = parentID.flatMap { id in batch.checkpoints.first { $0.id == id } ?? self.checkpoint(id) }
        let data = dataFiles[manifest.dataFiles.last!.number]!
        func store(
            _ hash: [UInt8], delta: (() throws(PackError) -> (BlockRef, Int, ColumnBlock, ColumnBlock)?)? = nil,
            _ encode: () throws(PackError) -> ColumnBlock
        ) throws(TimelineError) -> BlockRef {
            if let existing = blocksByHash[hash] ?? batch.refs[hash] { return existing }
            let kind: UInt8
            let payload: [UInt8]
            do throws(PackError) {
                if let (baseRef, depth, rows, values) = try delta?() {
                    kind = ColumnDelta.kind
                    payload = ColumnDelta(base: baseRef, depth: depth, rows: rows, values: values).payload
                    batch.depths[hash] = depth
                } else {
                    kind = 1
                    payload = try encode().recordBytes
                    batch.depths[hash] = 0
                }
            } catch { throw .invalidRequest(error.description) }
            let record = try data.frame(kind: kind, payload: payload, appendedAt: data.length + UInt64(batch.data.count))
            let ref = BlockRef(
                contentHash: hash, file: data.number,
                offset: data.length + UInt64(batch.data.count + RecordFile.recordHeaderSize),
                length: UInt64(record.count - RecordFile.recordHeaderSize))
            batch.data.append(contentsOf: record)
            batch.refs[hash] = ref
            return ref
        }
        var stored: [StoredArchetype] = []
        for archetype in snapshot.archetypes {
            let idHash = Self.contentHash(type: .uint64, count: archetype.count, raw: archetype.entities.withUnsafeBytes { Array($0) })
            let ids = try store(idHash) { () throws(PackError) in try ColumnBlock.encode(entities: archetype.entities, options: options) }
            // The same archetype in the parent, with the very same entities in the same rows.
            let names = archetype.components.map(\.name)
            let baseIndex = baseCheckpoint?.archetypes.firstIndex { $0.components.map(\.name) == names && $0.entities.contentHash == idHash }
            var columns: [BlockRef] = []
            for (index, column) in archetype.columns.enumerated() {
                let hash = Self.contentHash(of: column)
                let delta: (() throws(PackError) -> (BlockRef, Int, ColumnBlock, ColumnBlock)?)? = {
                    guard let base, let baseIndex, let baseCheckpoint else { return nil }
                    let baseRef = baseCheckpoint.archetypes[baseIndex].columns[index]
                    // The parent's world and its stored form list archetypes in the same order.
                    guard let depth = batch.depths[baseRef.contentHash] ?? chainDepth[baseRef.contentHash], depth < ColumnDelta.maxChainDepth,
                        baseIndex < base.archetypes.count
                    else { return nil }
                    let baseArchetype = base.archetypes[baseIndex]
                    return { () throws(PackError) in
                        guard let patch = try ColumnDelta.make(from: baseArchetype.columns[index], to: column, options: options) else { return nil }
                        return (baseRef, depth + 1, patch.rows, patch.values)
                    }
                }()
                columns.append(try store(hash, delta: delta) { () throws(PackError) in try ColumnBlock.encode(column, options: options) })
            }
            stored.append(StoredArchetype(components: archetype.components, entityCount: archetype.count, entities: ids, columns: columns))
        }
        guard lastID < UInt64.max - UInt64(batch.checkpoints.count) else { throw .invalidRequest("\(path): every checkpoint id has been used") }
        let checkpoint = Checkpoint(
            id: CheckpointID(rawValue: lastID + 1 + UInt64(batch.checkpoints.count)), parent: parentID, branch: branch,
            tick: snapshot.resources.tick, worldTime: snapshot.resources.worldTime, createdAt: now(), info: info,
            schema: snapshot.schema, seed: snapshot.resources.seed, customResources: snapshot.resources.custom,
            metadata: snapshot.metadata, archetypes: stored)
        batch.records.append(.checkpoint(checkpoint))
        batch.checkpoints.append(checkpoint)
        batch.last = (checkpoint.id, snapshot)
        return checkpoint
    }

    /// Appends data and index records and swaps the manifest: the one
    /// place where anything becomes committed.
    func commitRecords(_ records: [IndexRecord], data pending: [UInt8] = []) throws(TimelineError) {
        guard manifest.generation < UInt64.max else {
            throw .manifestContradiction(path: manifestPath, field: "generation", reason: "is at its largest value; no commit can follow it")
        }
        if let unsettledCommit {
            throw .invalidRequest("\(path): an earlier commit failed while replacing the MANIFEST (\(unsettledCommit)); open the store again to see which generation is on disk")
        }
        var next = manifest
        do {
            if !pending.isEmpty {
                let data = dataFiles[manifest.dataFiles.last!.number]!
                try data.append(pending)
                try data.sync()
                next.dataFiles[next.dataFiles.count - 1].length = data.length
            }
            var indexBytes: [UInt8] = []
            for record in records {
                indexBytes.append(contentsOf: try index.frame(kind: record.kind, payload: record.payload, appendedAt: index.length + UInt64(indexBytes.count)))
            }
            try index.append(indexBytes)
            try index.sync()
            next.index.length = index.length
            next.generation += 1
        } catch {
            // Nothing of a failed commit may ride along with the next one.
            try? index.truncate(to: manifest.index.length)
            for extent in manifest.dataFiles { try? dataFiles[extent.number]?.truncate(to: extent.length) }
            throw error
        }
        do { try writeManifest(next) } catch {
            // The new MANIFEST may be in place (a failed folder sync comes
            // after the rename), so the records it names stay, and this
            // handle commits nothing more: it no longer knows the generation.
            unsettledCommit = error.description
            throw error
        }
        manifest = next
        for record in records { try apply(record) }
    }

    /// Writes the manifest to a temporary file, syncs it, renames it over
    /// `MANIFEST` and syncs the directory.
    func writeManifest(_ next: StoreManifest) throws(TimelineError) {
        guard let folder else { throw .invalidRequest("\(path): a bundled store is read-only") }
        try folder.replace("MANIFEST", with: next.bytes)
    }

    func requireWritable() throws(TimelineError) {
        guard isWritable else { throw .invalidRequest("\(path) is open for reading; open it for writing to change it") }
    }

    /// The SHA-256 by which a column is stored once: of `u8 type ‖ u64 count ‖ raw bytes`.
    static func contentHash(of column: Column) -> [UInt8] {
        if column.type.width != nil { return contentHash(type: column.type, count: column.count, raw: column.storage) }
        var raw: [UInt8] = []
        var start = 0
        for end in column.ends {
            withUnsafeBytes(of: UInt32(end - start).littleEndian) { raw.append(contentsOf: $0) }
            start = end
        }
        return contentHash(type: column.type, count: column.count, raw: raw + column.storage)
    }

    static func contentHash(type: FieldType, count: Int, raw: [UInt8]) -> [UInt8] {
        let hasher = SHA256Hasher()
        hasher.update([type.rawValue])
        withUnsafeBytes(of: UInt64(count).littleEndian) { hasher.update($0) }
        hasher.update(raw)
        return hasher.finalize()
    }

    /// The current time by this store's clock.
    func now() -> Int64 { clock() }
}
