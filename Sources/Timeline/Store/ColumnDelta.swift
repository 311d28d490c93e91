#if canImport(Glibc)
import Glibc
#endif
import PackCodec

/// A changed column stored as the rows that differ from an earlier version
/// of the same column (docs/STORE.md, "Delta blocks"): the base block's
/// reference, the chain depth, (kind 3) how the base's rows moved, the
/// changed row indices and their new values. Decoding one costs decoding
/// its base (at most ``maxChainDepth`` deltas deep) plus the patch.
struct ColumnDelta {
    /// The record kind of a delta block in a data file.
    static let kind: UInt8 = 2
    /// The record kind of a delta whose base's rows are remapped first
    /// (entities left and joined: ``RowRemap``), store 1.5.
    static let remappedKind: UInt8 = 3

    /// Whether a data record of `kind` is a delta block.
    static func isDelta(_ kind: UInt8) -> Bool { kind == Self.kind || kind == remappedKind }
    /// The longest chain of deltas before a full block is stored again
    /// (6 before store 1.7, 4 before 1.5). Within it, the chain's size
    /// decides (``ChainPosition``): a column of which a tenth changes a
    /// tick goes about ten deltas between full blocks.
    static let maxChainDepth = 12
    /// A delta is written only when at most this fraction of rows changed.
    static let maxChangedFraction = 4

    var base: BlockRef
    var depth: Int
    /// How the base's rows move before the patch (kind 3), or `nil`.
    var remap: RowRemap?
    /// Whether each value is stored XORed with the base's value in its row
    /// (kind 3): a value that moved a little keeps its high bytes, so they
    /// XOR to zero and compress to almost nothing.
    var xorsValues = false
    var rows: ColumnBlock
    var values: ColumnBlock

    /// The record kind this delta is stored as.
    var recordKind: UInt8 { remap == nil && !xorsValues ? Self.kind : Self.remappedKind }

    /// Flag bits of a kind-3 delta.
    static let remapFlag: UInt8 = 1, xorFlag: UInt8 = 2

    /// The patch from `old` (its rows moved by `remap` first, when given)
    /// to `new` (same type and, after the remap, the same count; fixed
    /// width), or `nil` when too many rows changed for a delta to pay off.
    static func make(
        from old: Column, to new: Column, remap: RowRemap? = nil, xorsValues: Bool = false, options: WriteOptions
    ) throws(PackError) -> (rows: ColumnBlock, values: ColumnBlock)? {
        guard new.type.width != nil, old.type == new.type else { return nil }
        let old = try remap.map { (remap) throws(PackError) in try remap.apply(to: old) } ?? old
        guard let width = new.type.width, old.count == new.count, new.count > 0 else { return nil }
        // Compared as integers of the value's width, 64 rows to a word of the result (one memcmp call a row cost more than the rest of a commit).
        let differing = new.rowsDiffering(from: old)
        guard differing.count <= new.count / maxChangedFraction else { return nil }
        let changed = differing.rows.map { UInt32($0) }
        // The new values at the changed rows (XORed with the old ones for kind 3).
        let values = [UInt8](unsafeUninitializedCapacity: changed.count * width) { buffer, initialized in
            new.storage.withUnsafeBytes { b in
                old.storage.withUnsafeBytes { a in
                    Self.gather(differing, width: width, from: b, xoring: xorsValues ? a : nil, into: UnsafeMutableRawBufferPointer(buffer))
                }
            }
            initialized = changed.count * width
        }
        let rowsBlock = try ColumnBlock.encode(Column(changed), options: options, filter: options.codec == .none ? ByteFilter.none : .deltaVarint)
        let valueColumn = try Column(fixedWidth: new.type, count: changed.count, storage: values)
        // The automatic filter as given: XORed values are bit patterns, not floats on a grid.
        let valuesFilter = options.automaticFilter(for: new.type, isEntityIDs: false)
        return (rowsBlock, try ColumnBlock.encode(valueColumn, options: options, filter: valuesFilter))
    }

    /// Copies the values of `new` (`width` bytes each) at the rows of
    /// `rows`, ascending, into `target` one after another, a word at a
    /// time, each XORed with `old`'s value in its row when `old` is given:
    /// a delta's stored values, a learnt pair's XORs, an undo patch's old
    /// values.
    static func gather(_ rows: RowSet, width: Int, from new: UnsafeRawBufferPointer, xoring old: UnsafeRawBufferPointer?,
                       into target: UnsafeMutableRawBufferPointer) {
        wordwise(rows, width: width, .gather(new: new, xoring: old), into: target)
    }

    /// XORs the values of `values` (`width` bytes each), one after another,
    /// into `target` at the rows of `rows`, ascending, a word at a time:
    /// the inverse of ``gather(_:width:from:xoring:into:)`` with `old`, as
    /// a step back applies an undo patch read off XORed values.
    static func scatterXOR(_ rows: RowSet, width: Int, values: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) {
        wordwise(rows, width: width, .scatterXOR(values: values), into: target)
    }

    /// Which way ``wordwise(_:width:_:into:)`` moves values.
    private enum RowWordMove {
        case gather(new: UnsafeRawBufferPointer, xoring: UnsafeRawBufferPointer?)
        case scatterXOR(values: UnsafeRawBufferPointer)
    }

    /// The loops behind ``gather(_:width:from:xoring:into:)`` and
    /// ``scatterXOR(_:width:values:into:)``, one per word width (fixed
    /// widths are 1, 2, 4 and 8 bytes).
    private static func wordwise(_ rows: RowSet, width: Int, _ move: RowWordMove, into target: UnsafeMutableRawBufferPointer) {
        func words<Word: FixedWidthInteger>(_: Word.Type) {
            var index = 0
            switch move {
            case let .gather(new, old):
                rows.forEachRow { row in
                    var value = new.loadUnaligned(fromByteOffset: row * width, as: Word.self)
                    if let old { value ^= old.loadUnaligned(fromByteOffset: row * width, as: Word.self) }
                    target.storeBytes(of: value, toByteOffset: index * width, as: Word.self)
                    index += 1
                }
            case let .scatterXOR(values):
                rows.forEachRow { row in
                    let value = target.loadUnaligned(fromByteOffset: row * width, as: Word.self)
                        ^ values.loadUnaligned(fromByteOffset: index * width, as: Word.self)
                    target.storeBytes(of: value, toByteOffset: row * width, as: Word.self)
                    index += 1
                }
            }
        }
        switch width {
        case 8: words(UInt64.self)
        case 4: words(UInt32.self)
        case 2: words(UInt16.self)
        default: words(UInt8.self)
        }
    }

    /// The record payload: base reference (32-byte hash, `u32` file,
    /// `u64` offset, `u64` length), `u8` depth; for kind 3 a `u8` of flags
    /// and, with the remap flag, `u64` rows appended, `u64` length of the
    /// removed-rows block record and that record; then `u64` length of the
    /// rows block record, the rows block record, the values block record.
    func payload() throws(PackError) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(base.contentHash.bytes)
        writer.writeInteger(base.file)
        writer.writeInteger(base.offset)
        writer.writeInteger(base.length)
        writer.writeInteger(UInt8(depth))
        if recordKind == Self.remappedKind {
            writer.writeInteger((remap == nil ? 0 : Self.remapFlag) | (xorsValues ? Self.xorFlag : 0))
        }
        if let remap {
            writer.writeInteger(UInt64(remap.appended))
            // A u32 column: delta-varint keeps ascending rows to a byte or two each.
            let removed = try ColumnBlock.encode(Column(remap.removed), options: WriteOptions(codec: .none), filter: .deltaVarint).recordBytes
            writer.writeInteger(UInt64(removed.count))
            writer.writeBytes(removed)
        }
        let rowBytes = rows.recordBytes
        writer.writeInteger(UInt64(rowBytes.count))
        writer.writeBytes(rowBytes)
        writer.writeBytes(values.recordBytes)
        return writer.bytes
    }

    /// Where a block stands in its delta chain, as the writer knows it: its
    /// depth, the stored bytes of the deltas since the chain's full block,
    /// and that full block's stored bytes. A writer adds a delta only while
    /// the chain's deltas together stay no larger than its full block, so a
    /// column never costs more than twice a full block to read, and a
    /// column that changes little goes a long way between full blocks.
    struct ChainPosition {
        var depth: Int
        var deltaBytes: Int
        var fullBytes: Int

        /// A full block of `bytes`.
        static func full(_ bytes: Int) -> ChainPosition { ChainPosition(depth: 0, deltaBytes: 0, fullBytes: bytes) }

        /// The position of a delta of `bytes` on this block, or `nil` when
        /// the chain is too long or too heavy for it.
        func extended(by bytes: Int) -> ChainPosition? {
            guard depth < ColumnDelta.maxChainDepth, deltaBytes + bytes <= fullBytes else { return nil }
            return ChainPosition(depth: depth + 1, deltaBytes: deltaBytes + bytes, fullBytes: fullBytes)
        }
    }

    init(base: BlockRef, depth: Int, remap: RowRemap? = nil, xorsValues: Bool = false, rows: ColumnBlock, values: ColumnBlock) {
        self.base = base
        self.depth = depth
        self.remap = remap
        self.xorsValues = xorsValues
        self.rows = rows
        self.values = values
    }

    /// Reads a delta record's payload (kind 2, or 3 with its remap).
    init(payload: [UInt8], kind: UInt8 = ColumnDelta.kind) throws(PackError) {
        self = try payload.withBytes { (bytes) throws(PackError) in try ColumnDelta(bytes: bytes, kind: kind) }
    }

    /// Reads a delta record's payload from `bytes` (error offsets count from
    /// their start).
    init(bytes: UnsafeRawBufferPointer, kind: UInt8) throws(PackError) {
        var reader = ByteReader(bytes)
        let base = BlockRef(
            contentHash: ContentHash(bytes: try reader.readBytes(32)), file: try reader.readInteger(),
            offset: try reader.readInteger(), length: try reader.readInteger())
        let depth = Int(try reader.readInteger(as: UInt8.self))
        guard depth >= 1, depth <= Self.maxChainDepth else { throw .malformed(offset: 52, reason: "delta depth \(depth)") }
        var remap: RowRemap?
        var flags: UInt8 = 0
        if kind == Self.remappedKind {
            let flagOffset = reader.offset
            flags = try reader.readInteger(as: UInt8.self)
            guard flags & ~(Self.remapFlag | Self.xorFlag) == 0 else { throw .malformed(offset: flagOffset, reason: "unknown delta flags \(flags)") }
        }
        if flags & Self.remapFlag != 0 {
            let appended = try reader.readInteger(as: UInt64.self)
            guard appended <= Limits.maxEntitiesPerArchetype else {
                throw .sizeLimitExceeded(what: "rows appended by a delta", declared: appended, limit: Limits.maxEntitiesPerArchetype)
            }
            let removedLength = try reader.readInteger(as: UInt64.self)
            guard removedLength <= UInt64(reader.remaining) else {
                throw .truncated(needed: Int(clamping: removedLength), available: reader.remaining, offset: reader.offset)
            }
            let removed = try ColumnBlock(recordBytes: try reader.readBytes(Int(removedLength)))
            guard removed.type == .uint32 else { throw .malformed(offset: 61, reason: "removed rows are not u32") }
            remap = RowRemap(removed: try removed.decodeColumn(label: "removed rows").values(as: UInt32.self), appended: Int(appended))
        }
        let rowLength = try reader.readInteger(as: UInt64.self)
        guard rowLength <= UInt64(reader.remaining) else {
            throw .truncated(needed: Int(clamping: rowLength), available: reader.remaining, offset: reader.offset)
        }
        let rows = try ColumnBlock(recordBytes: try reader.readBytes(Int(rowLength)))
        let values = try ColumnBlock(recordBytes: try reader.readBytes(reader.remaining))
        guard rows.type == .uint32, rows.count == values.count else { throw .malformed(offset: 61, reason: "delta rows and values disagree") }
        self.init(base: base, depth: depth, remap: remap, xorsValues: flags & Self.xorFlag != 0, rows: rows, values: values)
    }

    /// Checks the CRC-32s of the rows and values blocks, which
    /// ``apply(to:rows:)`` leaves to the record's.
    func checkChecksums() throws(PackError) {
        try rows.checkChecksum(label: "delta rows")
        try values.checkChecksum(label: "delta values")
    }

    /// XORs the `width` bytes at `offset` of `target` with those at
    /// `sourceOffset` of `source`, a word at a time.
    @inline(__always)
    static func xor(_ target: UnsafeMutableRawBufferPointer, at offset: Int, with source: UnsafeRawBufferPointer, at sourceOffset: Int, width: Int) {
        func apply<Word: FixedWidthInteger>(_: Word.Type) {
            let value = target.loadUnaligned(fromByteOffset: offset, as: Word.self) ^ source.loadUnaligned(fromByteOffset: sourceOffset, as: Word.self)
            target.storeBytes(of: value, toByteOffset: offset, as: Word.self)
        }
        switch width {
        case 8: apply(UInt64.self)
        case 4: apply(UInt32.self)
        case 2: apply(UInt16.self)
        default: for byte in 0..<width { target[offset + byte] ^= source[sourceOffset + byte] }
        }
    }

    /// The rows the delta changes, in its own layout. Like the values in
    /// ``apply(to:rows:)``, decoded without their own CRC-32: a delta
    /// applied is read from a record whose CRC-32 (or seal) covers them
    /// (`verify` checks them, ``checkChecksums()``).
    func changedRows() throws(PackError) -> [UInt32] {
        try rows.decodeColumn(verifiedLabel: "delta rows").values(as: UInt32.self)
    }

    /// What this delta says changed, read without applying it: its rows
    /// (each below `rowCount` when given) and, when `withValues` and it
    /// stores its values XORed with the base's, those values' bytes (so
    /// `old = new ^ xor` at each row). Decoded without their own CRC-32s,
    /// as ``changedRows()``; errors name `offset` (the record's).
    func change(rowCount: Int?, withValues: Bool, at offset: Int) throws(PackError) -> (rows: [UInt32], xorValues: [UInt8]?) {
        let rows = try self.rows.decodeColumn(verifiedLabel: "changed rows")
        guard rows.type == .uint32 else { throw .malformed(offset: offset, reason: "delta rows are not u32") }
        let changed = rows.values(as: UInt32.self)
        // Rows index the archetype's columns: none may lie past its entities.
        if let rowCount, let bad = changed.first(where: { Int($0) >= rowCount }) {
            throw .malformed(offset: offset, reason: "delta row \(bad) past \(rowCount) rows")
        }
        guard withValues, xorsValues else { return (changed, nil) }
        let values = try self.values.decodeColumn(verifiedLabel: "changed values")
        guard values.type.width != nil, values.count == changed.count else {
            throw .malformed(offset: offset, reason: "\(values.count) delta values for \(changed.count) rows")
        }
        return (changed, values.storage)
    }

    /// Applies the patch to the base column: the rows `indices` (this
    /// delta's ``changedRows()``, decoded once by the caller, who may keep
    /// them) get the delta's values.
    ///
    /// `base` is consumed: when the caller holds the only reference (a
    /// base decoded for this delta alone, along a chain), the rows are
    /// patched in place instead of into a copy of the whole column.
    func apply(to base: consuming Column, rows indices: [UInt32]) throws(PackError) -> Column {
        try applyKeepingValues(to: consume base, rows: indices).column
    }

    /// ``apply(to:rows:)``, also giving back the values it XORed in where
    /// the delta stores them so and moves no rows: at each row, the base's
    /// value is the result's XOR that value, which is how a step back
    /// undoes a step forward without reading the record again.
    func applyKeepingValues(to base: consuming Column, rows indices: [UInt32]) throws(PackError) -> (column: Column, xorValues: [UInt8]?) {
        if let remap { base = try remap.apply(to: base) }
        let valueColumn = try values.decodeColumn(verifiedLabel: "delta values")
        guard let width = base.type.width, valueColumn.type == base.type, valueColumn.count == indices.count else {
            throw .malformed(offset: 0, reason: "a delta of \(valueColumn.count) \(valueColumn.type) on a column of \(base.type)")
        }
        if let bad = indices.first(where: { Int($0) >= base.count }) {
            throw .malformed(offset: 0, reason: "delta row \(bad) past \(base.count) rows")
        }
        let (type, count) = (base.type, base.count)
        var storage = base.storage
        _ = consume base
        storage.withUnsafeMutableBytes { target in
            valueColumn.storage.withUnsafeBytes { source in
                if xorsValues {
                    for (index, row) in indices.enumerated() { Self.xor(target, at: Int(row) * width, with: source, at: index * width, width: width) }
                } else {
                    for (index, row) in indices.enumerated() {
                        (target.baseAddress! + Int(row) * width).copyMemory(from: source.baseAddress! + index * width, byteCount: width)
                    }
                }
            }
        }
        if type == .bool, storage.contains(where: { $0 > 1 }) { throw .malformed(offset: 0, reason: "a bool byte is not 0 or 1") }
        return (try Column(fixedWidth: type, count: count, storage: storage), xorsValues && remap == nil ? valueColumn.storage : nil)
    }
}
