import Dispatch
import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// A store's blocks, decoded: block records read from the data files and
/// their delta chains applied, each block checked against its archetype's
/// entity count (and, in an encrypted store, against its address), decoded
/// blocks cached by content hash, and what reading cost counted. Several
/// blocks are decoded on all cores; a batch may be decoded ahead, on a
/// background thread (``BlocksAhead``).
///
/// A class: one per store handle, shared by everything that reads through
/// it (the store's reads, a session's undo patches, the diff) and by the
/// threads of a prefetch, which only read it.
final class BlockSource: @unchecked Sendable {
    /// The store's folder, for the paths errors name.
    let directory: String
    /// The open data files, by number.
    var files: [UInt32: RecordFile] = [:] {
        // gc's new files may hold a block at another place, in another kind of record.
        didSet {
            recordKinds = [:]
            bridgeBases = [:]
            appliedDeltaRows.forget()
        }
    }
    /// What the deltas a step's decoding applied changed, for that step's
    /// changes (``AppliedDeltaRows``).
    let appliedDeltaRows = AppliedDeltaRows()
    /// The kinds of the block records read so far, by content hash
    /// (``recordKind(of:)``).
    var recordKinds: [ContentHash: UInt8] = [:]
    /// The contents the bridges read so far start from, by the bridged
    /// block's content hash (``bridgeBase(of:)``).
    var bridgeBases: [ContentHash: ContentHash] = [:]
    /// Opens records: with the key of an encrypted store.
    let sealer: RecordSealer
    /// Recently decoded entity-id lists (diffs and the debugger's steps
    /// reuse them): room for the current and the previous list of a
    /// million entities.
    var entityCache = BlockCache<[EntityID]>(limit: 16 << 20 + 1)
    /// Recently decoded columns: neighbouring checkpoints share delta bases,
    /// so stepping and diffing decode each base once.
    var columnCache = BlockCache<Column>(limit: 64 << 20)
    /// What reading has cost so far.
    var statistics = ReadStatistics()
    /// What is decoded on a background thread ahead of the reads that
    /// will want it (``BlocksAhead``).
    private(set) lazy var ahead = BlocksAhead(source: self)

    init(directory: String, sealer: RecordSealer) {
        self.directory = directory
        self.sealer = sealer
    }

    /// Where data file `number` is.
    func dataPath(_ number: UInt32) -> String { directory + "/" + StoreFileNames.data(number) }

    /// Decodes one column block, applying delta blocks onto their bases.
    func column(_ ref: BlockRef, label: String) throws(TimelineError) -> Column {
        try column(ref, label: label, depthLeft: ColumnDelta.maxChainDepth)
    }

    func column(_ ref: BlockRef, label: String, depthLeft: Int) throws(TimelineError) -> Column {
        ahead.takeColumns([ref])
        if let cached = columnCache.get(ref.contentHash) {
            statistics.cacheHits += 1
            try checkCount(cached.count, of: ref)
            return cached
        }
        let column = try decodeColumn(ref, label: label, depthLeft: depthLeft, files: files, cache: .counted)
        try checkCount(column.count, of: ref)
        let size = column.storage.count + column.ends.count * 8
        statistics.count(ref, decodedBytes: size)
        columnCache.insert(column, hash: ref.contentHash, size: size)
        return column
    }

    /// Decodes several columns, on all cores: what a table view needs to
    /// show one archetype of one checkpoint.
    /// - Parameter label: names the checkpoint in errors.
    func columns(_ refs: [BlockRef], label: String) throws(TimelineError) -> [Column] {
        prefetchColumns(refs)
        var result: [Column] = []
        for (index, ref) in refs.enumerated() { result.append(try column(ref, label: "column \(index) of \(label)")) }
        return result
    }

    /// The entity ids and the columns of an archetype, all decoded at once
    /// on all cores: what the debugger shows of a checkpoint.
    /// - Parameter label: names the checkpoint in errors.
    /// - Parameter handing: for blocks of `archetype` that are deltas on a
    ///   cached column nothing else needs after this decode (the column a
    ///   step forward leaves), that column's hash: the delta is applied to
    ///   it in place, and it leaves the cache.
    func decode(_ archetype: StoredArchetype, label: String, handing: [ContentHash: ContentHash] = [:]) throws(TimelineError) -> (ids: [EntityID], columns: [Column]) {
        prefetchColumns(archetype.columns, entities: archetype.entities, handing: handing)
        let ids = try entities(archetype.entities, label: "entity ids of \(label)")
        return (ids, try columns(archetype.columns, label: label))
    }

    /// Decodes columns (and an id block) on all cores and puts them in the
    /// caches. Only read-only state is touched while threads run (`pread`
    /// on open files, lookups in dictionaries nobody changes meanwhile).
    /// - Parameters:
    ///   - handing: as for ``decode(_:label:handing:)``.
    ///   - changes: delta records to read meanwhile, with their XORed
    ///     values (``changeReads(_:)``), so that reading them fills the
    ///     gaps the decodes leave on the cores.
    /// - Returns: what each of `changes` says changed, by the contents of
    ///   its block and of the base asked: `nil` when the record is no delta
    ///   on that base; a record that could not be read is left out (its
    ///   reader's normal path reads it again and reports why). Every read
    ///   is counted, as ``deltaChanges(_:withValues:)`` counts them.
    @discardableResult
    func prefetchColumns(_ refs: [BlockRef], entities: BlockRef? = nil, handing: [ContentHash: ContentHash] = [:],
                         changes: [ChangeRead] = []) -> [ChangeRead.Pair: (rows: [UInt32], xorValues: [UInt8]?)?] {
        ahead.takeColumns(refs)
        if let entities { ahead.takeEntities(entities) }
        let wanted = Array(Set(refs.filter { columnCache.peek($0.contentHash) == nil }))
        let idBlock = entities.flatMap { entityCache.peek($0.contentHash) == nil ? $0 : nil }
        guard wanted.count + (idBlock == nil ? 0 : 1) + changes.count > 1 else { return [:] }
        var results = [Column?](repeating: nil, count: wanted.count)
        var changesRead = [Result<(rows: [UInt32], xorValues: [UInt8]?)?, TimelineError>?](repeating: nil, count: changes.count)
        var ids: [EntityID]?
        // Each column handed over goes to the one thread that applies a delta to it, its only owner.
        var handed: [(hash: ContentHash, column: Column)?] = wanted.map { ref in
            guard let base = handing[ref.contentHash], handing.values.count(where: { $0 == base }) == 1,
                let column = columnCache.remove(base) else { return nil }
            return (base, column)
        }
        // The decodes first (the longest), then the id block, then the delta records.
        let idIndex = idBlock == nil ? nil : wanted.count
        let firstChange = wanted.count + (idBlock == nil ? 0 : 1)
        results.withUnsafeMutableBufferPointer { slots in
            handed.withUnsafeMutableBufferPointer { handed in
                changesRead.withUnsafeMutableBufferPointer { changeSlots in
                    withUnsafeMutablePointer(to: &ids) { idSlot in
                        let shared = UncheckedTransfer((self, slots, idSlot, handed, changes, changeSlots))
                        DispatchQueue.concurrentPerform(iterations: firstChange + changes.count) { index in
                            let (source, slots, idSlot, handed, changes, changeSlots) = shared.value
                            if index >= firstChange {
                                let read = changes[index - firstChange]
                                changeSlots[index - firstChange] = Result { () throws(TimelineError) in
                                    try source.readChange(read, withValues: true, remapped: false).map { ($0.rows, $0.xorValues) }
                                }
                            } else if index == idIndex {
                                // A failure is reported by the normal path.
                                idSlot.pointee = try? source.decodeEntitiesChecked(idBlock!, files: source.files, label: "prefetch")
                            } else {
                                slots[index] = try? source.decodeColumn(wanted[index], label: "prefetch", depthLeft: ColumnDelta.maxChainDepth, files: source.files,
                                                                        cache: .peek, handed: handed[index].take())
                            }
                        }
                    }
                }
            }
        }
        if let ids, let idBlock {
            statistics.count(idBlock, decodedBytes: ids.count * 8)
            entityCache.insert(ids, hash: idBlock.contentHash, size: ids.count * 8)
        }
        for (ref, column) in zip(wanted, results) {
            // A failure, or a block of the wrong length, is reported by the normal path.
            guard let column, column.count == ref.valueCount ?? column.count else { continue }
            let size = column.storage.count + column.ends.count * 8
            statistics.count(ref, decodedBytes: size)
            columnCache.insert(column, hash: ref.contentHash, size: size)
        }
        statistics.changeRecordsRead += changes.count
        var changed: [ChangeRead.Pair: (rows: [UInt32], xorValues: [UInt8]?)?] = [:]
        for (read, result) in zip(changes, changesRead) {
            if case .success(let change)? = result { changed[read.pair] = .some(change) }
        }
        return changed
    }

    /// How a decode may use the column cache for a delta's base.
    enum CacheUse {
        /// Takes a cached base and counts the hit and what it decodes (the
        /// reader's own thread).
        case counted
        /// Takes a cached base, counts nothing (threads of a prefetch,
        /// while the reader's thread waits for them).
        case peek
        /// Takes a base from these columns (copied out of the cache when
        /// a background thread started, which must not read the cache while
        /// the reader's thread changes it), counts nothing, and keeps the
        /// rows of the deltas it applies in `rows` (the batch's own).
        case given([ContentHash: Column], rows: AppliedDeltaRows)

        /// Whether the reader's thread counts what it costs.
        var counts: Bool { if case .counted = self { true } else { false } }
    }

    /// Decodes block `ref` from `files` (the source's own, or a copy that a
    /// background thread holds), its delta chain applied.
    /// `handed`, a decoded column that the caller gives up: if `ref` is a
    /// delta on it, the delta is applied to it in place.
    func decodeColumn(_ ref: BlockRef, label: String, depthLeft: Int, files: [UInt32: RecordFile], cache: CacheUse,
                      handed: consuming (hash: ContentHash, column: Column)? = nil) throws(TimelineError) -> Column {
        guard let file = files[ref.file] else {
            throw .file(path: dataPath(ref.file), .io(operation: "missing data file", path: dataPath(ref.file), errno: ENOENT))
        }
        let column = try decodeColumnUnchecked(ref, file: file, label: label, depthLeft: depthLeft, files: files, cache: cache, handed: consume handed)
        try checkAddress(column, of: ref, path: file.path)
        return column
    }

    /// Decodes id block `ref` from `files` (the source's own, or a copy a
    /// background thread holds), checked against its archetype's entity
    /// count and, in an encrypted store, its address.
    func decodeEntitiesChecked(_ ref: BlockRef, files: [UInt32: RecordFile], label: String) throws(TimelineError) -> [EntityID] {
        guard let file = files[ref.file] else {
            throw .file(path: dataPath(ref.file), .io(operation: "missing data file", path: dataPath(ref.file), errno: ENOENT))
        }
        let payload = try file.readRecord(payloadAt: ref.offset, length: ref.length, kind: 1)
        let ids: [EntityID]
        do {
            ids = try payload.withBytes { (bytes) throws(PackError) in try ColumnBlock(recordBytes: bytes).decodeEntities(verifiedLabel: label) }
        } catch {
            throw .file(path: file.path, error)
        }
        try checkCount(ids.count, of: ref)
        if sealer.key != nil { try checkAddress(Column(ids.map(\.rawValue)), of: ref, path: file.path) }
        return ids
    }

    /// In an encrypted store a block is checked against its address (its
    /// content hash) when it is decoded for a caller or for the cache (not
    /// a delta base decoded only to be patched: the patched result is
    /// checked), so a record that authenticates can still not stand in for
    /// another column. A plain store has no
    /// authentication to lean on; `verify` checks its addresses.
    func checkAddress(_ column: Column, of ref: BlockRef, path: String) throws(TimelineError) {
        guard sealer.key != nil, ContentHash(of: column) != ref.contentHash else { return }
        throw .file(path: path, .malformed(offset: Int(clamping: ref.offset), reason: "the block's contents do not match its content hash"))
    }

    /// - Parameter isChainBase: decoded only as the base of a delta further
    ///   along its chain (its rows are nobody's changes).
    /// - Parameter handed: as for ``decodeColumn(_:label:depthLeft:files:cache:handed:)``.
    private func decodeColumnUnchecked(_ ref: BlockRef, file: RecordFile, label: String, depthLeft: Int, files: [UInt32: RecordFile],
                                       cache: CacheUse, isChainBase: Bool = false,
                                       handed: consuming (hash: ContentHash, column: Column)? = nil) throws(TimelineError) -> Column {
        var handed = consume handed
        let handedHash = handed?.hash
        // A delta's or a bridge's base, if at hand: handed over (the column a step forward leaves), else a
        // cached one (threads may read the cache: nobody inserts meanwhile).
        func columnAtHand(_ hash: ContentHash) -> Column? {
            if let owned = handed.take(), owned.hash == hash { return owned.column }
            let hit: Column? = switch cache {
            case .counted, .peek: columnCache.peek(hash)
            case .given(let columns, _): columns[hash]
            }
            if hit != nil, cache.counts { statistics.cacheHits += 1 }
            return hit
        }
        // Applies a delta or a bridge; the step that shows this column asks next what it changed.
        // On the column a step forward handed over, the values XORed in are also the way back (an undo patch).
        func applying(_ delta: ColumnDelta, to base: consuming Column) throws(PackError) -> Column {
            let rows = try delta.changedRows()
            let (column, xorValues) = try delta.applyKeepingValues(to: consume base, rows: rows)
            if !isChainBase {
                let entry = AppliedDeltaRows.Entry(base: delta.base.contentHash, remap: delta.remap, rows: rows,
                                                   xorValues: delta.base.contentHash == handedHash ? xorValues : nil)
                if case .given(_, let batchRows) = cache { batchRows.keep(entry, for: ref.contentHash) } else { appliedDeltaRows.keep(entry, for: ref.contentHash) }
            }
            return column
        }
        // A full block with a bridge from a column at hand is that column patched by the bridge, which a plain
        // store reads alone (its base's hash first, 32 bytes); the full block is not read.
        if !isChainBase, try file.recordKind(payloadAt: ref.offset) == BridgedBlock.kind,
            let from = try peekBridgeBase(ref, file: file), let base = columnAtHand(from) {
            let bridge = try readBridge(ref, file: file)
            do throws(PackError) {
                guard bridge.base.contentHash == from else {
                    throw .malformed(offset: Int(clamping: ref.offset), reason: "the bridge's base changed while it was read")
                }
                return try applying(bridge, to: base)
            } catch {
                throw .file(path: file.path, error)
            }
        }
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        do throws(PackError) {
            switch kind {
            case 1:
                // `readRecord` checked the record's CRC-32 (or its seal) over these very bytes.
                return try payload.withBytes { (bytes) throws(PackError) in try ColumnBlock.decodeColumn(verifiedRecord: bytes, label: label) }
            case BridgedBlock.kind:
                let bridged = try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) }
                // Opened whole (an encrypted store): the bridge still saves the full decode where it applies.
                if !isChainBase, sealer.key != nil, let base = columnAtHand(bridged.bridge.base.contentHash) {
                    return try applying(bridged.bridge, to: base)
                }
                return try payload.withBytes { (bytes) throws(PackError) in
                    try ColumnBlock.decodeColumn(verifiedRecord: UnsafeRawBufferPointer(rebasing: bytes[bridged.fullBlock]), label: label)
                }
            case ColumnDelta.kind, ColumnDelta.remappedKind:
                let delta = try ColumnDelta(payload: payload, kind: kind)
                guard depthLeft > 0 else { throw PackError.malformed(offset: Int(ref.offset), reason: "delta chain longer than \(ColumnDelta.maxChainDepth)") }
                let base: Column
                do {
                    if let hit = columnAtHand(delta.base.contentHash) {
                        base = hit
                    } else {
                        // Bases along a chain are neither cached nor checked:
                        // each is patched in place into the next, and only the
                        // column the chain ends in reaches a caller (checked,
                        // and cached by `column`). A chain of 6 then costs one
                        // full decode and six patches, not six copies.
                        guard let baseFile = files[delta.base.file] else {
                            throw TimelineError.file(path: dataPath(delta.base.file), .io(operation: "missing data file", path: dataPath(delta.base.file), errno: ENOENT))
                        }
                        base = try decodeColumnUnchecked(delta.base, file: baseFile, label: label, depthLeft: depthLeft - 1, files: files, cache: cache,
                                                         isChainBase: true)
                        if cache.counts { statistics.count(delta.base, decodedBytes: base.storage.count) }
                    }
                } catch {
                    throw PackError.malformed(offset: Int(ref.offset), reason: "base of delta: \(error)")
                }
                return try applying(delta, to: consume base)
            default:
                throw PackError.malformed(offset: Int(ref.offset), reason: "record kind \(kind) is not a block")
            }
        } catch {
            throw .file(path: file.path, error)
        }
    }

    /// Refuses a block whose length is not its archetype's entity count (a
    /// hostile index or data file could pair them wrongly; every reader
    /// indexes columns by the archetype's rows).
    func checkCount(_ count: Int, of ref: BlockRef) throws(TimelineError) {
        guard let expected = ref.valueCount, count != expected else { return }
        throw .file(path: dataPath(ref.file), .malformed(
            offset: Int(clamping: ref.offset), reason: "the block holds \(count) values, its archetype \(expected) entities"))
    }

    /// Column `ref` if it is decoded and in the cache; nothing is read.
    func cachedColumn(_ ref: BlockRef) -> Column? { columnCache.peek(ref.contentHash) }

    /// Puts a column the caller rebuilt from others into the cache as
    /// `ref`'s, so reading `ref` decodes nothing (the debugger undoes a
    /// step's changes this way instead of decoding the previous
    /// checkpoint). The caller vouches that it holds exactly `ref`'s
    /// contents: internal, so only `Session`'s undo patches can.
    func cacheColumn(_ column: Column, as ref: BlockRef) {
        columnCache.insert(column, hash: ref.contentHash, size: column.storage.count + column.ends.count * 8)
    }

    /// Takes column `ref` out of the cache if it is there: a step back that
    /// rebuilds the previous column from the shown one, which nothing else
    /// needs then, patches it in place instead of copying it.
    func takeCachedColumn(_ ref: BlockRef) -> Column? { columnCache.remove(ref.contentHash) }

    /// Entity-id block `ref` if it is decoded and in the cache; nothing is read.
    func cachedEntities(_ ref: BlockRef) -> [EntityID]? { entityCache.peek(ref.contentHash) }

    /// Puts an id list the caller rebuilt from another into the cache as
    /// `ref`'s (``cacheColumn(_:as:)``, for ids).
    func cacheEntities(_ ids: [EntityID], as ref: BlockRef) {
        entityCache.insert(ids, hash: ref.contentHash, size: ids.count * 8)
    }

    /// Lets go of decoded blocks other than `refs` (a viewer calls it with
    /// what it shows, so memory holds one world, not the cache's worth).
    /// Their delta bases are decoded again when next needed.
    func keepCachedBlocks(_ refs: [BlockRef]) {
        let hashes = Set(refs.map(\.contentHash))
        columnCache.keepOnly(hashes)
        entityCache.keepOnly(hashes)
    }

    /// Decodes one entity-id block.
    func entities(_ ref: BlockRef, label: String) throws(TimelineError) -> [EntityID] {
        ahead.takeEntities(ref)
        if let cached = entityCache.get(ref.contentHash) {
            statistics.cacheHits += 1
            try checkCount(cached.count, of: ref)
            return cached
        }
        let ids = try decodeEntitiesChecked(ref, files: files, label: label)
        statistics.count(ref, decodedBytes: ids.count * 8)
        entityCache.insert(ids, hash: ref.contentHash, size: ids.count * 8)
        return ids
    }
}
