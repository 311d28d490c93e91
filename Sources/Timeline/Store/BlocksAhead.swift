import PackCodec

/// What a store handle decodes ahead of the reads that will want it: the
/// batch running on a background thread (``DecodeAhead``), the rows of the
/// deltas it applied, and what earlier batches learnt and nobody took yet.
/// Its blocks go into the source's caches as reads ask for them, counted
/// in the source's statistics.
///
/// A class: part of one ``BlockSource``, whose caches it fills; only the
/// reader's thread calls it (the batch's thread reads the source through
/// copies it was given).
final class BlocksAhead {
    private unowned let source: BlockSource
    /// The batch, running or done, until everything in it is taken or let go.
    private var batch: DecodeAhead?
    /// The rows of the deltas the batch applied, which move to the source's
    /// ``BlockSource/appliedDeltaRows`` with its columns.
    private var rows = AppliedDeltaRows(capacity: 32)
    /// What earlier batches learnt and nobody took yet.
    private var learnt: [LearntChanges.Pair] = []

    init(source: BlockSource) { self.source = source }

    /// Starts decoding on a background thread the columns of `groups` (the
    /// columns each of the next steps will need, nearest first) that are
    /// neither decoded nor held by the last batch, so that reads of them
    /// soon find them done; unless the last batch is still running. The
    /// last batch's columns that `groups` names are carried over; the rest
    /// is let go. So the thread goes on to the farther step
    /// as soon as the nearer one is done, rather than after the next step
    /// has been drawn: crossings often come a step or two apart (the three
    /// position columns start new chains near the same tick), and a step
    /// that came before its batch was done waited for it.
    ///
    /// A column decoded already (the one shown, the near side of the next
    /// step's crossing) is used as it is, not decoded again down its chain.
    ///
    /// The blocks of `groups` that `learning` names (with their other
    /// versions: a column on either side of a delta chain's start) are
    /// compared with those on the background thread, which keeps only what
    /// differs (``takeLearnt(waitingFor:)``), so that the memory a batch
    /// holds between steps is a tenth of the columns, not the columns.
    ///
    /// The entity-id list of block `entities` (a step ahead pairs rows by
    /// id), unless decoded already, is decoded first.
    func start(_ groups: [[BlockRef]], entities: BlockRef? = nil, learning: [ContentHash: [BlockRef]] = [:]) {
        if let batch, !batch.isFinished { return }
        // The last batch has finished: the ids it decoded go to the cache if they are still wanted.
        let idBlock = entities.flatMap { source.entityCache.peek($0.contentHash) == nil ? $0 : nil }
        if let idBlock, let batch, batch.holdsEntities(idBlock.contentHash) { takeEntities(idBlock) }
        let wantedIDs = idBlock.flatMap { source.entityCache.peek($0.contentHash) == nil ? $0 : nil }
        var named = Set<ContentHash>(), next: [BlockRef] = []
        for group in groups {
            for ref in group where (learning[ref.contentHash] != nil || source.columnCache.peek(ref.contentHash) == nil)
                && named.insert(ref.contentHash).inserted {
                if batch?.holds(ref.contentHash) != true { next.append(ref) }
            }
        }
        if let batch, next.isEmpty, wantedIDs == nil, batch.heldHashes.isSubset(of: named) { return }
        let carried = (batch?.remaining() ?? [:]).filter { named.contains($0.key) }
        if let batch { learnt += batch.takeLearnt(waitingFor: []) }
        batch = nil
        // The rows of carried columns' deltas go on with them; the rest are let go.
        let previousRows = rows
        rows = AppliedDeltaRows(capacity: 32)
        for hash in carried.keys { if let entry = previousRows.take(hash) { rows.keep(entry, for: hash) } }
        guard !next.isEmpty || !carried.isEmpty || wantedIDs != nil else { return }
        // The thread reads through its own copies of the file table and of
        // the columns decoded (delta bases), never the cache itself.
        let decoded = source.columnCache.values
        let shared = UncheckedTransfer((source, source.files, BlockSource.CacheUse.given(decoded, rows: rows)))
        // The column shown, on the near side of the next step's crossing, is
        // compared as it is (decoding it down its chain cost up to 16 ms).
        let column: @Sendable (BlockRef) -> Column? = { ref in
            let (source, files, bases) = shared.value
            if case .given(let columns, _) = bases, let column = columns[ref.contentHash] { return column }
            return try? source.decodeColumn(ref, label: "ahead", depthLeft: ColumnDelta.maxChainDepth, files: files, cache: bases)
        }
        batch = DecodeAhead(next, carrying: carried, learning: learning, learn: { old, oldColumn, new in
            // A bridge from `old` says what differs: read, not decoded and compared.
            let (source, files, _) = shared.value
            if let pair = LearntChanges.Pair.bridged(new, from: old, oldColumn: oldColumn, source: source, files: files) { return pair }
            guard let newColumn = column(new) else { return nil }
            return LearntChanges.Pair.between(old, new, rows: newColumn.rowsDiffering(from: oldColumn), oldColumn: oldColumn, newColumn: newColumn)
        }, entities: wantedIDs, decodeEntities: { ref in
            let (source, files, _) = shared.value
            return try? source.decodeEntitiesChecked(ref, files: files, label: "ahead")
        }, decode: column)
    }

    /// What the batches learnt (``start(_:entities:learning:)``), once the
    /// running batch has finished learning what differs between the
    /// versions of each of `pairs` that it learns (the reader's thread
    /// helps it): a session adopts them before a step.
    func takeLearnt(waitingFor pairs: [(BlockRef, BlockRef)]) -> [LearntChanges.Pair] {
        var taken = learnt
        learnt = []
        if let batch {
            taken += batch.takeLearnt(waitingFor: pairs.map { ($0.contentHash, $1.contentHash) })
            if batch.isEmpty { self.batch = nil }
        }
        source.statistics.learntAhead += taken.count
        return taken
    }

    /// Puts the columns of `refs` that the batch holds into the source's
    /// cache (waiting for those the background thread is on); it keeps the
    /// others.
    func takeColumns(_ refs: [BlockRef]) {
        guard let batch else { return }
        let hashes = Set(refs.lazy.map(\.contentHash).filter { batch.holds($0) && self.source.columnCache.peek($0) == nil })
        guard !hashes.isEmpty else { return }
        for (ref, column) in batch.take(hashes) {
            // A block of the wrong length is reported by the normal path.
            guard column.count == ref.valueCount ?? column.count else { continue }
            let size = column.storage.count + column.ends.count * 8
            source.statistics.count(ref, decodedBytes: size)
            source.statistics.decodedAhead += 1
            source.columnCache.insert(column, hash: ref.contentHash, size: size)
            if let entry = rows.take(ref.contentHash) { source.appliedDeltaRows.keep(entry, for: ref.contentHash) }
        }
        if batch.isEmpty { self.batch = nil }
    }

    /// Puts the entity-id list of block `ref` into the source's cache if
    /// the batch holds it (waiting for it if need be).
    func takeEntities(_ ref: BlockRef) {
        guard let batch, source.entityCache.peek(ref.contentHash) == nil else { return }
        // A failure is reported by the normal path.
        if let ids = batch.takeEntities(ref.contentHash) {
            source.statistics.count(ref, decodedBytes: ids.count * 8)
            source.statistics.decodedAhead += 1
            source.entityCache.insert(ids, hash: ref.contentHash, size: ids.count * 8)
        }
        if batch.isEmpty { self.batch = nil }
    }

    /// Waits for the batch to finish, so that nothing reads the data files
    /// while they grow or are replaced.
    func settle() {
        if let batch { _ = batch.remaining() }
    }
}
