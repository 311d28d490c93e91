import PackCodec

/// What `gc` writes: a new generation of a store's files holding only what
/// live checkpoints reference. Every block a live checkpoint names is
/// copied once (a delta with its base, pointing at the base's new place);
/// the index gets the ids given out so far, the branches and the live
/// checkpoints with their blocks' new places (and, where a parent was
/// deleted, the nearest live ancestor as parent). Both files are synced before
/// the MANIFEST that would commit them is returned; swapping it in, and
/// removing the old files, is ``StoreWriter/collectGarbage()``'s.
///
/// ```swift
/// let copied = try StoreCompaction(path: path, catalog: catalog, dataFiles: files, manifest: manifest, sealer: sealer)
///     .copyLiveRecords(into: 8, 12, folder: folder)
/// try swapManifest(to: copied.next)   // the new generation, durable
/// ```
struct StoreCompaction {
    /// The store's folder, for naming a data file in an error.
    var path: String
    /// The checkpoints, branches and ids given out, as the store knows them.
    var catalog: StoreCatalog
    /// The data files the blocks are read from, by number.
    var dataFiles: [UInt32: RecordFile]
    /// The committed MANIFEST the new one follows.
    var manifest: StoreManifest
    /// Seals the new files' records as the store's (encrypted stores).
    var sealer: RecordSealer

    /// Copies what live checkpoints reference into new files, synced, and
    /// returns the MANIFEST that would commit them.
    func copyLiveRecords(into indexNumber: UInt32, _ dataNumber: UInt32, folder: any StoreFolder)
        throws(TimelineError) -> (next: StoreManifest, index: RecordFile, data: RecordFile) {
        let newIndex = try RecordFile(folder: folder, name: StoreFileNames.index(indexNumber), magic: StoreFileNames.indexMagic,
                                      number: indexNumber, writable: true, create: true, sealer: sealer)
        let newData = try RecordFile(folder: folder, name: StoreFileNames.data(dataNumber), magic: StoreFileNames.dataMagic,
                                     number: dataNumber, writable: true, create: true, sealer: sealer)
        var moved: [ContentHash: BlockRef] = [:]
        var indexBytes: [UInt8] = []
        func appendToIndex(_ record: IndexRecord) throws(TimelineError) {
            indexBytes += try newIndex.frame(kind: record.kind, payload: record.payload, appendedAt: newIndex.length + UInt64(indexBytes.count))
        }
        /// `ref`'s block copied into the new data file (once), and where it is now.
        func move(_ ref: BlockRef, depthLeft: Int = ColumnDelta.maxChainDepth + 1) throws(TimelineError) -> BlockRef {
            if let done = moved[ref.contentHash] { return done }
            guard let file = dataFiles[ref.file], depthLeft > 0 else {
                throw .file(path: path + "/" + StoreFileNames.data(ref.file), .malformed(offset: Int(ref.offset), reason: "unreadable block or delta chain"))
            }
            var (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
            if ColumnDelta.isDelta(kind) {
                // A delta moves with its base, and points at the base's new place.
                var delta: ColumnDelta
                do { delta = try ColumnDelta(payload: payload, kind: kind) } catch { throw .file(path: file.path, error) }
                delta.base = try move(delta.base, depthLeft: depthLeft - 1)
                do { payload = try delta.payload() } catch { throw .file(path: file.path, error) }
            }
            let framed = try newData.frame(kind: kind, payload: payload, appendedAt: newData.length)
            var new = BlockRef(contentHash: ref.contentHash, file: dataNumber, offset: newData.length + UInt64(RecordFile.recordHeaderSize),
                               length: UInt64(framed.count - RecordFile.recordHeaderSize), statistics: ref.statistics)
            new.valueCount = ref.valueCount
            try newData.append(framed)
            moved[ref.contentHash] = new
            return new
        }
        // Ids of deleted checkpoints stay used: marks and fork points never come to name another world.
        try appendToIndex(.idHighWater(CheckpointID(rawValue: catalog.lastID)))
        for branch in catalog.branches { try appendToIndex(.branch(branch)) }
        for var checkpoint in catalog.checkpoints {
            // The deleted checkpoints are not copied: one whose parent is
            // among them takes the nearest live one above instead, or its
            // branch's timeline would end there.
            checkpoint.parent = catalog.liveAncestor(of: checkpoint.parent)
            for a in checkpoint.archetypes.indices {
                checkpoint.archetypes[a].entities = try move(checkpoint.archetypes[a].entities)
                var columns: [BlockRef] = []
                for ref in checkpoint.archetypes[a].columns { columns.append(try move(ref)) }
                checkpoint.archetypes[a].columns = columns
            }
            try appendToIndex(.checkpoint(checkpoint))
        }
        try newIndex.append(indexBytes)
        try newData.sync()
        try newIndex.sync()
        let next = StoreManifest(
            generation: manifest.generation + 1, index: .init(number: indexNumber, length: newIndex.length),
            dataFiles: [.init(number: dataNumber, length: newData.length)], keyCheck: manifest.keyCheck, storeID: manifest.storeID)
        return (next, newIndex, newData)
    }
}
