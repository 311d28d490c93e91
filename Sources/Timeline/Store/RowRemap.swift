import Glibc
import PackCodec

/// How an archetype's rows moved between two checkpoints when entities left
/// and joined: some rows of the earlier one removed (the others keeping
/// their order) and new rows appended after them. The usual way an ECS
/// stores a despawn and a spawn; a delta block of kind 3 (docs/STORE.md)
/// applies it to its base before patching, so a column whose entities
/// changed a little is still stored as a delta.
struct RowRemap: Equatable, Sendable {
    /// Rows of the earlier archetype that are gone, ascending.
    var removed: [UInt32]
    /// How many rows follow the kept ones.
    var appended: Int

    /// The remap from `old` to `new`, when `new` is `old` without some
    /// entities (order kept) and with others after them, and no more than
    /// `limit` rows are removed and appended together; otherwise `nil`.
    static func between(old: [EntityID], new: [EntityID], limit: Int) -> RowRemap? {
        var removed: [UInt32] = []
        var kept = 0
        // A step onto a tick where entities came and went runs this over every row: no per-element checks.
        let fits = old.withUnsafeBufferPointer { old in
            new.withUnsafeBufferPointer { new in
                for row in 0..<old.count {
                    if kept < new.count, new[kept] == old[row] {
                        kept += 1
                    } else {
                        removed.append(UInt32(row))
                        if removed.count > limit { return false }
                    }
                }
                return true
            }
        }
        guard fits else { return nil }
        let appended = new.count - kept
        guard removed.count + appended <= limit, !(removed.isEmpty && appended == 0) else { return nil }
        return RowRemap(removed: removed, appended: appended)
    }

    /// `column` with the removed rows taken out and `appended` rows of
    /// zero bytes after the rest (a fixed-width column).
    /// - Throws: when a removed row is not inside the column, or out of order.
    func apply(to column: consuming Column) throws(PackError) -> Column {
        guard let width = column.type.width else { throw .malformed(offset: 0, reason: "a remap of a \(column.type) column") }
        let count = column.count
        var previous: UInt32?
        for row in removed {
            guard Int(row) < count, previous.map({ row > $0 }) ?? true else {
                throw .malformed(offset: 0, reason: "remap row \(row) is not inside \(count) rows in order")
            }
            previous = row
        }
        let result = count - removed.count + appended
        guard UInt64(result) <= Limits.maxEntitiesPerArchetype else {
            throw .sizeLimitExceeded(what: "a remapped column", declared: UInt64(result), limit: Limits.maxEntitiesPerArchetype)
        }
        let type = column.type
        var storage = column.storage
        _ = consume column
        let kept = count - removed.count
        // Kept rows only move towards the start (a later row is never past
        // its earlier one), so the runs move in place, ascending: no second
        // column is allocated where the caller gave up the only reference.
        storage.withUnsafeMutableBytes { bytes in
            forEachKeptRun(earlierCount: count) { earlier, later, length in
                guard earlier != later else { return }
                // Overlapping ranges: memmove, not copyMemory.
                memmove(bytes.baseAddress! + later * width, bytes.baseAddress! + earlier * width, length * width)
            }
        }
        // The appended rows are zero bytes, whatever the rows past the kept ones held.
        storage.replaceSubrange((kept * width)..., with: repeatElement(0, count: appended * width))
        return try Column(fixedWidth: type, count: result, storage: storage)
    }

    /// Calls `body`, ascending, with the earlier row of each row of `rows`
    /// (rows of the later archetype) that was kept, that is below
    /// `keptCount`, the later rows before the appended ones.
    func forEachEarlierRow(of rows: RowSet, keptCount: Int, _ body: (_ earlier: Int) -> Void) {
        var next = 0, skipped = 0
        rows.forEachRow { later in
            guard later < keptCount else { return }
            // Earlier rows removed at or before this one's earlier row shift it down.
            while next < removed.count, Int(removed[next]) <= later + skipped {
                skipped += 1
                next += 1
            }
            body(later + skipped)
        }
    }

    /// The inverse of ``apply(to:)``, within `elements` (a later column's
    /// rows, `rowWidth` elements each; a copy only where someone else holds
    /// the array): it becomes the earlier column's rows, the kept ones
    /// moved back to their earlier rows. The removed rows keep whatever
    /// was there: the caller writes them. The caller checks the sizes.
    func restore<Element: BitwiseCopyable>(_ elements: inout [Element], rowWidth: Int, zero: Element) {
        let laterCount = elements.count / rowWidth
        let earlierCount = laterCount - appended + removed.count
        if earlierCount > laterCount { elements.append(contentsOf: repeatElement(zero, count: (earlierCount - laterCount) * rowWidth)) }
        var runs: [(earlier: Int, later: Int, length: Int)] = []
        forEachKeptRun(earlierCount: earlierCount) { runs.append(($0, $1, $2)) }
        let width = rowWidth * MemoryLayout<Element>.stride
        elements.withUnsafeMutableBytes { bytes in
            // Kept rows never move towards the start: the runs move last first.
            for run in runs.reversed() where run.earlier != run.later {
                // Overlapping ranges: memmove, not copyMemory.
                memmove(bytes.baseAddress! + run.earlier * width, bytes.baseAddress! + run.later * width, run.length * width)
            }
        }
        if earlierCount < laterCount { elements.removeLast((laterCount - earlierCount) * rowWidth) }
    }

    /// Calls `body` for each run of kept rows between the removed ones of
    /// an earlier archetype of `count` rows: where the run starts there,
    /// where it starts in the later archetype, and its length.
    private func forEachKeptRun(earlierCount count: Int, _ body: (_ earlier: Int, _ later: Int, _ length: Int) -> Void) {
        var later = 0, start = 0
        for row in removed.map(Int.init) + [count] {
            let length = row - start
            if length > 0 {
                body(start, later, length)
                later += length
            }
            start = row + 1
        }
    }
}
