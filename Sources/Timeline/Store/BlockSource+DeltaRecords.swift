import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Reading delta records without decoding their columns: what kind of
/// record a block is, and what a delta says changed (its rows, its XORed
/// values, how it moved its base's rows). The diff, the session's steps and
/// decoding ahead ask these on every step, so each block's record kind is
/// read from its header once.
extension BlockSource {
    /// The kind of block `ref`'s record (1: full block; 2, 3: delta),
    /// read from its header the first time (not checked: whoever reads the
    /// payload checks the whole record).
    func recordKind(of ref: BlockRef) throws(TimelineError) -> UInt8 {
        if let known = recordKinds[ref.contentHash] { return known }
        guard let file = files[ref.file] else {
            throw .file(path: dataPath(ref.file), .io(operation: "missing data file", path: dataPath(ref.file), errno: ENOENT))
        }
        let kind = try file.recordKind(payloadAt: ref.offset)
        recordKinds[ref.contentHash] = kind
        return kind
    }

    /// Whether block `ref` is stored whole, starting a delta chain, with or
    /// without a bridge (`false` when its header cannot be read).
    func isFullBlock(_ ref: BlockRef) -> Bool {
        let kind = try? recordKind(of: ref)
        return kind == 1 || kind == BridgedBlock.kind
    }

    /// Whether a record of `new` says what changed from `old` without
    /// decoding either: `new` is a delta (a writer stores one on the same
    /// column of the parent checkpoint) or a full block whose bridge starts
    /// from `old`'s contents (`false` when its header cannot be read).
    func storesChange(of new: BlockRef, from old: BlockRef) -> Bool {
        switch try? recordKind(of: new) {
        case ColumnDelta.kind?, ColumnDelta.remappedKind?: true
        case BridgedBlock.kind?: (try? bridgeBase(of: new)) == old.contentHash
        default: false
        }
    }

    /// The contents block `ref`'s bridge starts from, when it is a full
    /// block with a bridge (kind 4): read once (``peekBridgeBase(_:file:)``,
    /// or in an encrypted store from the opened record).
    func bridgeBase(of ref: BlockRef) throws(TimelineError) -> ContentHash? {
        guard try recordKind(of: ref) == BridgedBlock.kind, let file = files[ref.file] else { return nil }
        if let known = bridgeBases[ref.contentHash] { return known }
        let base: ContentHash
        if let peeked = try peekBridgeBase(ref, file: file) { base = peeked } else { base = try readBridge(ref, file: file).base.contentHash }
        bridgeBases[ref.contentHash] = base
        return base
    }

    /// The contents bridged block `ref`'s bridge starts from, read alone
    /// (``BridgedBlock/baseHashRange``; not checked: whoever applies the
    /// bridge reads and checks it); `nil` in an encrypted store, whose
    /// records open only whole. Any thread may call it.
    func peekBridgeBase(_ ref: BlockRef, file: RecordFile) throws(TimelineError) -> ContentHash? {
        let range = UInt64(BridgedBlock.baseHashRange.lowerBound)..<UInt64(BridgedBlock.baseHashRange.upperBound)
        return try file.readUncheckedPart(ofPayloadAt: ref.offset, length: ref.length, kind: BridgedBlock.kind, range: range)
            .map { ContentHash(bytes: $0) }
    }

    /// What a delta record says changed from `base` to `ref`: its rows and,
    /// when asked and the delta stores them XORed with the base's (kind 3),
    /// those XORed values, from which the base's values at the rows follow
    /// without decoding the base (`old = new ^ stored`). `nil` as for
    /// ``CheckpointStore/changedRows(of:against:)``.
    func deltaChange(of ref: BlockRef, against base: BlockRef, withValues: Bool) throws(TimelineError) -> (rows: [UInt32], xorValues: [UInt8]?)? {
        guard let (rows, xorValues, _) = try deltaChange(of: ref, against: base, withValues: withValues, remapped: false) else { return nil }
        return (rows, xorValues)
    }

    /// What a delta record of `ref` on `base` whose base rows are remapped
    /// (entities left and joined) says: the rows that differ, numbered in
    /// `ref`'s layout, and the remap. The rows that are neither removed nor
    /// appended are the base's others in order, so a row below the kept
    /// count changed from its partner exactly when it is listed. `nil`
    /// when `ref` is no such delta.
    func remappedChange(of ref: BlockRef, against base: BlockRef) throws(TimelineError) -> (rows: [UInt32], remap: RowRemap)? {
        guard let (rows, _, remap) = try deltaChange(of: ref, against: base, withValues: false, remapped: true), let remap else { return nil }
        return (rows, remap)
    }

    private func deltaChange(of ref: BlockRef, against base: BlockRef, withValues: Bool, remapped: Bool)
        throws(TimelineError) -> (rows: [UInt32], xorValues: [UInt8]?, remap: RowRemap?)? {
        switch try planChange(of: ref, against: base, withValues: withValues, remapped: remapped) {
        case .known(let answer): return answer
        case .read(let read):
            statistics.changeRecordsRead += 1
            return try readChange(read, withValues: withValues, remapped: remapped)
        }
    }

    /// What the delta records of `pairs` (a later block, and the block it
    /// may be stored on) say changed, each as
    /// ``deltaChange(of:against:withValues:)`` says, in order; the records
    /// that must be read are read on all cores. A step reads four to eight
    /// of them, a few hundred kilobytes each at 1,000,000 entities.
    /// - Parameter valuesWhereRead: rows alone where they are in hand (a
    ///   delta this step applied), but the XORed values too from a record
    ///   that is read anyway: the highlights of a step back, whose records
    ///   the next step back would otherwise read again for its undo.
    func deltaChanges(_ pairs: [(of: BlockRef, against: BlockRef)], withValues: Bool, valuesWhereRead: Bool = false)
        -> [Result<(rows: [UInt32], xorValues: [UInt8]?)?, TimelineError>] {
        let plans = pairs.map { pair in
            Result { () throws(TimelineError) in try planChange(of: pair.of, against: pair.against, withValues: withValues, remapped: false) }
        }
        let reads = plans.count { if case .success(.read) = $0 { true } else { false } }
        statistics.changeRecordsRead += reads
        return AllCores.map(plans.count, inParallel: reads > 1) { index in
            switch plans[index] {
            case .failure(let error): .failure(error)
            case .success(.known(let answer)): .success(answer.map { ($0.rows, $0.xorValues) })
            case .success(.read(let read)):
                Result { () throws(TimelineError) in
                    try readChange(read, withValues: withValues || valuesWhereRead, remapped: false).map { ($0.rows, $0.xorValues) }
                }
            }
        }
    }

    /// The delta records of `pairs` (a later block and the block it may
    /// change from) that must be read to say what changed, with the file
    /// and kind each is read with: what a prefetch reads on its threads
    /// with ``readChange(_:withValues:remapped:)``. Touches the caches of
    /// record kinds and bridge bases, so the reader's thread calls it.
    func changeReads(_ pairs: [(of: BlockRef, against: BlockRef)]) -> [ChangeRead] {
        var planned = Set<ChangeRead.Pair>()
        return pairs.compactMap { new, old in
            guard planned.insert(ChangeRead.Pair(of: new.contentHash, against: old.contentHash)).inserted,
                case .read(let read)? = try? planChange(of: new, against: old, withValues: true, remapped: false) else { return nil }
            return read
        }
    }

    /// How a delta record answers what changed from a base.
    private enum ChangePlan {
        /// Without reading it: no such delta (`nil`), or its rows just applied.
        case known((rows: [UInt32], xorValues: [UInt8]?, remap: RowRemap?)?)
        /// By reading it.
        case read(ChangeRead)
    }

    /// Whether `ref`'s record is a delta on `base` (of the kind asked),
    /// and whether its rows are in hand. Reads the record's header and a
    /// bridge's base once, so the reader's thread calls it.
    private func planChange(of ref: BlockRef, against base: BlockRef, withValues: Bool, remapped: Bool) throws(TimelineError) -> ChangePlan {
        // The kind first (from the record's header, once): a full block is
        // not read, nor one whose bridge starts from other contents.
        let deltaKinds = remapped ? [ColumnDelta.remappedKind] : [ColumnDelta.kind, ColumnDelta.remappedKind]
        guard let file = files[ref.file] else { return .known(nil) }
        let kind = try recordKind(of: ref)
        if kind == BridgedBlock.kind {
            guard try bridgeBase(of: ref) == base.contentHash else { return .known(nil) }
        } else if !deltaKinds.contains(kind) {
            return .known(nil)
        }
        // Just applied by the decode of this step: its rows are in hand.
        if !withValues, let applied = appliedDeltaRows.take(ref.contentHash, base: base.contentHash, remapped: remapped) {
            if let count = ref.valueCount, let bad = applied.rows.first(where: { Int($0) >= count }) {
                throw .file(path: file.path, .malformed(offset: Int(ref.offset), reason: "delta row \(bad) past \(count) rows"))
            }
            return .known((applied.rows, applied.xorValues, applied.remap))
        }
        return .read(ChangeRead(of: ref, against: base, kind: kind, file: file))
    }

    /// A delta record to read, on any thread (``changeReads(_:)``).
    struct ChangeRead {
        var of: BlockRef
        var against: BlockRef
        var kind: UInt8
        /// Read with `pread` alone, which any thread may do.
        var file: RecordFile

        /// A block and the block it is asked about the change from, by
        /// contents. What a record says is the change from its own base
        /// alone: a block two archetypes share is a delta on one of their
        /// earlier columns, so an answer is kept by both hashes.
        struct Pair: Hashable {
            var of: ContentHash
            var against: ContentHash
        }

        var pair: Pair { Pair(of: of.contentHash, against: against.contentHash) }
    }

    /// What the delta record `read` names says changed from its base, read
    /// and checked; `nil` when it is not a delta on that base of the kind
    /// asked (remapped or not). Counts nothing and reads the record's file
    /// alone, so any thread may call it.
    func readChange(_ read: ChangeRead, withValues: Bool, remapped: Bool)
        throws(TimelineError) -> (rows: [UInt32], xorValues: [UInt8]?, remap: RowRemap?)? {
        let (ref, kind, file, base) = (read.of, read.kind, read.file, read.against)
        let delta: ColumnDelta
        if kind == BridgedBlock.kind {
            delta = try readBridge(ref, file: file)
        } else {
            let (found, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
            guard found == kind else { return nil }
            do throws(PackError) { delta = try ColumnDelta(payload: payload, kind: kind) } catch { throw .file(path: file.path, error) }
        }
        // The rows and values blocks are decoded without their own CRC-32s,
        // which the record's checksum (or seal) has just covered, or, for a
        // bridge read alone, have just been checked; `verify` checks them.
        do throws(PackError) {
            guard (delta.remap != nil) == remapped, delta.base.contentHash == base.contentHash else { return nil }
            let change = try delta.change(rowCount: ref.valueCount, withValues: withValues, at: Int(ref.offset))
            return (change.rows, change.xorValues, delta.remap)
        } catch {
            throw .file(path: file.path, error)
        }
    }

    /// Block `ref`'s bridge (a kind-4 record). In a plain store the bridge
    /// is read alone, its blocks checked by their own checksums in place
    /// of the record's: the full block beside it, about ten times its size,
    /// is not read. In an encrypted store the record opens whole. Any
    /// thread may call it (it reads `file` and nothing else).
    func readBridge(_ ref: BlockRef, file: RecordFile) throws(TimelineError) -> ColumnDelta {
        if ref.length > 8, let head = try file.readUncheckedPart(ofPayloadAt: ref.offset, length: ref.length, kind: BridgedBlock.kind, range: 0..<8) {
            let length = head.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard length < ref.length - 8 else {
                throw .file(path: file.path, .malformed(offset: Int(clamping: ref.offset), reason: "a bridge of \(length) bytes in a record of \(ref.length)"))
            }
            let bytes = try file.readUncheckedPart(ofPayloadAt: ref.offset, length: ref.length, kind: BridgedBlock.kind, range: 8..<8 + length) ?? []
            do throws(PackError) {
                let bridge = try bytes.withBytes { (raw) throws(PackError) in try BridgedBlock.bridge(raw, at: 8) }
                try bridge.checkChecksums()
                return bridge
            } catch {
                throw .file(path: file.path, .malformed(offset: Int(clamping: ref.offset), reason: "bridge: \(error)"))
            }
        }
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        do throws(PackError) {
            guard kind == BridgedBlock.kind else { throw .malformed(offset: Int(clamping: ref.offset), reason: "expected a kind-4 record, found kind \(kind)") }
            return try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes).bridge }
        } catch {
            throw .file(path: file.path, error)
        }
    }
}
