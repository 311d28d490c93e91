import PackCodec

/// How to turn a column of the shown checkpoint back into the previous
/// checkpoint's: the rows that changed and their old bytes, or (read off a
/// delta record or a learnt pair) their old bytes XORed with the shown
/// ones. Kept instead of the previous columns themselves, a step back
/// costs a copy and a patch, and memory holds a tenth of a column, not a
/// whole one. The rows are a ``RowSet``, the very one the shown
/// checkpoint's changes hold where the patch is made from them (shared,
/// not copied); the bytes follow the rows in ascending order.
///
/// Where entities came and went between the two (``RowRemap``), the shown
/// column's kept rows go back to their previous rows first, and the rows
/// (in the previous checkpoint's numbering) are the removed ones and the
/// kept ones whose value changed.
struct UndoPatch {
    /// The previous checkpoint's column this rebuilds.
    var target: BlockRef
    /// The shown checkpoint's column it starts from.
    var source: BlockRef
    var rows: RowSet
    /// The bytes at ``rows``: the previous column's values, or those XORed
    /// with the shown column's where ``isXOR``.
    var values: [UInt8]
    /// Whether ``values`` are XORed with the shown column's: applying them
    /// is then one pass over the rows (XOR in place), where turning them
    /// into old values first would read each changed row twice.
    var isXOR = false
    /// How the rows moved from the previous checkpoint to the shown one,
    /// if they did.
    var remap: RowRemap?

    /// The patch from `current` back to `previous` (fixed-width columns of
    /// the same rows), over the rows in `changed`.
    init?(from current: BlockRef, to previous: BlockRef, previousColumn: Column, changed: RowSet) {
        guard let width = previousColumn.type.width, changed.capacity <= previousColumn.count else { return nil }
        target = previous
        source = current
        rows = changed
        let count = changed.count
        values = [UInt8](unsafeUninitializedCapacity: count * width) { buffer, initialized in
            previousColumn.storage.withUnsafeBytes { raw in
                ColumnDelta.gather(changed, width: width, from: raw, xoring: nil, into: UnsafeMutableRawBufferPointer(buffer))
            }
            initialized = count * width
        }
    }

    /// The patch from `current` back to `previous` where the rows moved
    /// by `remap` between them: `changed` are the shown column's changed
    /// rows (its numbering) of the `currentCount` it holds.
    init?(from current: BlockRef, to previous: BlockRef, previousColumn: Column, changed: RowSet?, remap: RowRemap, currentCount: Int) {
        let kept = currentCount - remap.appended
        guard previousColumn.type.width != nil, kept >= 0, kept + remap.removed.count == previousColumn.count,
            remap.removed.allSatisfy({ Int($0) < previousColumn.count })
        else { return nil }
        var rows = RowSet(capacity: previousColumn.count)
        for row in remap.removed { rows.insert(Int(row)) }
        if let changed { remap.forEachEarlierRow(of: changed, keptCount: kept) { rows.insert($0) } }
        self.init(from: current, to: previous, previousColumn: previousColumn, changed: rows)
        self.remap = remap
    }

    /// The patch from `current` back to `previous` read off the delta that
    /// stores `current` on `previous` with XORed values: the old value of
    /// each changed row is the current one XOR the stored one, so the
    /// previous column is never decoded. `rows` are strictly ascending, as
    /// the store writes them; anything else makes no patch.
    /// - Parameter set: the same rows as a set of `currentColumn.count`
    ///   rows, where the caller made one (the highlights' rows): shared,
    ///   not made again.
    init?(from current: BlockRef, to previous: BlockRef, currentColumn: Column, rows: [UInt32], sharing set: RowSet? = nil, xorValues: [UInt8]) {
        guard let width = currentColumn.type.width, xorValues.count == rows.count * width,
            rows.last.map({ Int($0) < currentColumn.count }) ?? true, Self.isStrictlyAscending(rows)
        else { return nil }
        // Strictly ascending and below the count, the rows make a set of exactly as many.
        if let set, set.capacity != currentColumn.count || set.count != rows.count { return nil }
        target = previous
        source = current
        self.rows = set ?? RowSet(capacity: currentColumn.count, rows: rows)
        values = xorValues
        isXOR = true
    }

    /// Whether each row is greater than the one before it (one pass, no
    /// per-pair iterator: a step back checks a tenth of a million rows).
    private static func isStrictlyAscending(_ rows: [UInt32]) -> Bool {
        rows.withUnsafeBufferPointer { rows in
            var index = 1
            while index < rows.count {
                if rows[index - 1] >= rows[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// The previous column, rebuilt from `column` (the source's contents):
    /// patched in place where the caller hands over the only copy.
    func apply(to column: consuming Column) -> Column? {
        guard let width = column.type.width, values.count == rows.count * width else { return nil }
        let type = column.type
        var count = column.count
        var storage: [UInt8]
        if let remap {
            // The kept rows back in their earlier places; the removed ones are all in `rows`.
            guard !isXOR, remap.appended <= count else { return nil }
            count = count - remap.appended + remap.removed.count
            guard rows.capacity == count else { return nil }
            // Moved within the column: a copy only where someone else holds it.
            storage = column.storage
            _ = consume column
            remap.restore(&storage, rowWidth: width, zero: 0)
        } else {
            guard rows.capacity <= count else { return nil }
            storage = column.storage
            _ = consume column
        }
        storage.withUnsafeMutableBytes { target in
            values.withUnsafeBytes { source in
                if isXOR { return ColumnDelta.scatterXOR(rows, width: width, values: source, into: target) }
                var index = 0
                rows.forEachRow { row in
                    target.baseAddress!.advanced(by: row * width).copyMemory(from: source.baseAddress! + index * width, byteCount: width)
                    index += 1
                }
            }
        }
        return try? Column(fixedWidth: type, count: count, storage: storage)
    }
}
