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

    /// Whether block `ref` is stored whole, starting a delta chain (`false`
    /// when its header cannot be read).
    func isFullBlock(_ ref: BlockRef) -> Bool { (try? recordKind(of: ref)) == 1 }

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
        // The kind first (from the record's header, once): a full block is not read.
        let deltaKinds = remapped ? [ColumnDelta.remappedKind] : [ColumnDelta.kind, ColumnDelta.remappedKind]
        guard let file = files[ref.file], deltaKinds.contains(try recordKind(of: ref)) else { return nil }
        // Just applied by the decode of this step: its rows are in hand.
        if !withValues, let applied = appliedDeltaRows.take(ref.contentHash, base: base.contentHash, remapped: remapped) {
            if let count = ref.valueCount, let bad = applied.rows.first(where: { Int($0) >= count }) {
                throw .file(path: file.path, .malformed(offset: Int(ref.offset), reason: "delta row \(bad) past \(count) rows"))
            }
            return (applied.rows, nil, applied.remap)
        }
        statistics.changeRecordsRead += 1
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        guard deltaKinds.contains(kind) else { return nil }
        // The rows and values blocks are decoded without their own CRC-32s,
        // which the record's checksum (or seal) has just covered; `verify`
        // checks them.
        do throws(PackError) {
            let delta = try ColumnDelta(payload: payload, kind: kind)
            guard (delta.remap != nil) == remapped, delta.base.contentHash == base.contentHash else { return nil }
            let rows = try delta.rows.decodeColumn(verifiedLabel: "changed rows")
            guard rows.type == .uint32 else { throw PackError.malformed(offset: Int(ref.offset), reason: "delta rows are not u32") }
            let changed = rows.values(as: UInt32.self)
            // Rows index the archetype's columns: none may lie past its entities.
            if let count = ref.valueCount, let bad = changed.first(where: { Int($0) >= count }) {
                throw PackError.malformed(offset: Int(ref.offset), reason: "delta row \(bad) past \(count) rows")
            }
            guard withValues, delta.xorsValues else { return (changed, nil, delta.remap) }
            let values = try delta.values.decodeColumn(verifiedLabel: "changed values")
            guard values.type.width != nil, values.count == changed.count else {
                throw PackError.malformed(offset: Int(ref.offset), reason: "\(values.count) delta values for \(changed.count) rows")
            }
            return (changed, values.storage, delta.remap)
        } catch {
            throw .file(path: file.path, error)
        }
    }
}
