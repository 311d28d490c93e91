import PackCodec

/// What a session learnt by comparing two versions of a column that the
/// store keeps no delta between: the rows that differ, and each one's bytes
/// in the two versions XORed together.
///
/// The store writes a column that starts a new delta chain as a full block,
/// so nothing in its record says what changed against the checkpoint
/// before, which is the end of the previous chain. A step onto it compares
/// the two columns whole; stepping back across it would decode that whole
/// previous chain again, and stepping forward across it the full block.
/// Either version and the XORed bytes rebuild the other (`a ^ (a ^ b) = b`),
/// so once a step has compared them, a step across that checkpoint again,
/// either way, decodes neither: it patches the column shown.
///
/// Kept most recent first within a byte budget, so scrubbing back and forth
/// over the last chain starts stays fast while memory stays bounded.
struct LearntChanges {
    /// One pair of versions of a column, in no particular order.
    struct Pair: Sendable {
        var versions: (BlockRef, BlockRef)
        /// The rows that differ: a list, or one bit a row where that is
        /// smaller (a tenth of a million rows changed).
        var rows: Rows
        var xor: [UInt8]

        var bytes: Int { rows.bytes + xor.count }

        func involves(_ hash: ContentHash) -> Bool { versions.0.contentHash == hash || versions.1.contentHash == hash }

        /// The other version than `hash`'s.
        func other(than hash: ContentHash) -> BlockRef { versions.0.contentHash == hash ? versions.1 : versions.0 }

        /// What differs between `old` and `new`, decoded as `oldColumn` and
        /// `newColumn` (of one fixed-width type and count), at `rows`; `nil`
        /// for anything else.
        static func between(_ old: BlockRef, _ new: BlockRef, rows found: RowSet, oldColumn: Column, newColumn: Column) -> Pair? {
            guard old.contentHash != new.contentHash, let width = newColumn.type.width, oldColumn.type == newColumn.type,
                oldColumn.count == newColumn.count, oldColumn.storage.count == newColumn.count * width, found.capacity == newColumn.count
            else { return nil }
            let count = found.count * width
            let xor = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                oldColumn.storage.withUnsafeBytes { before in
                    newColumn.storage.withUnsafeBytes { after in
                        ColumnDelta.gather(found, width: width, from: after, xoring: before, into: UnsafeMutableRawBufferPointer(buffer))
                    }
                }
                initialized = count
            }
            return Pair(versions: (old, new), rows: Rows(found), xor: xor)
        }

        /// What block `new`'s bridge (store 1.9) says differs from `old`
        /// (decoded as `oldColumn`): its rows and XORed values, read off
        /// the record through `files` on any thread, with nothing decoded
        /// or compared. `nil` when `new` has no bridge from `old`'s
        /// contents on the same rows, or one that does not fit the column.
        static func bridged(_ new: BlockRef, from old: BlockRef, oldColumn: Column, source: BlockSource, files: [UInt32: RecordFile]) -> Pair? {
            // The kind from the header first: in an encrypted store, asking a full block for its bridge opens it whole.
            guard let width = oldColumn.type.width, let file = files[new.file], (try? file.recordKind(payloadAt: new.offset)) == BridgedBlock.kind,
                let change = try? source.readChange(.init(of: new, against: old, kind: BridgedBlock.kind, file: file), withValues: true, remapped: false),
                let xor = change.xorValues, xor.count == change.rows.count * width,
                zip(change.rows, change.rows.dropFirst()).allSatisfy({ $0 < $1 }), change.rows.last.map({ Int($0) < oldColumn.count }) ?? true
            else { return nil }
            return Pair(versions: (old, new), rows: .list(change.rows), xor: xor)
        }
    }

    /// Row numbers, as a list or as a bit set, whichever is smaller.
    enum Rows: Sendable {
        case list([UInt32])
        case bits(RowSet)

        init(_ set: RowSet) {
            let count = set.count
            self = count * 4 <= (set.capacity + 7) / 8 ? .list(set.rows.map { UInt32($0) }) : .bits(set)
        }

        var list: [UInt32] {
            switch self {
            case .list(let rows): rows
            case .bits(let set): set.rows.map { UInt32($0) }
            }
        }

        var bytes: Int {
            switch self {
            case .list(let rows): rows.count * 4
            case .bits(let set): (set.capacity + 7) / 8
            }
        }
    }

    /// The most bytes kept; the least recently used pairs go first.
    private(set) var budget: Int
    /// Most recently used last.
    private(set) var pairs: [Pair] = []

    init(budget: Int) { self.budget = budget }

    /// The bytes held.
    var bytes: Int { pairs.reduce(0) { $0 + $1.bytes } }

    /// Keeps up to `bytes` from now on (a budget never shrinks: a smaller
    /// archetype shown later keeps what a larger one taught).
    mutating func raiseBudget(to bytes: Int) { budget = max(budget, bytes) }

    /// Lets go of every pair but those with a version in `hashes` (after a
    /// jump, what was learnt far from the cursor is far from its next
    /// steps too).
    mutating func keepOnly(involving hashes: Set<ContentHash>) {
        pairs.removeAll { !hashes.contains($0.versions.0.contentHash) && !hashes.contains($0.versions.1.contentHash) }
    }

    /// Whether what differs between versions `a` and `b` is learnt.
    func knows(_ a: BlockRef, _ b: BlockRef) -> Bool { index(a, b) != nil }

    private func index(_ a: BlockRef, _ b: BlockRef) -> Int? {
        pairs.lastIndex { $0.involves(a.contentHash) && $0.other(than: a.contentHash).contentHash == b.contentHash }
    }

    /// The rows that differ between versions `a` and `b`, when learnt.
    mutating func rows(between a: BlockRef, and b: BlockRef) -> [UInt32]? {
        guard let index = index(a, b) else { return nil }
        let pair = pairs.remove(at: index)
        pairs.append(pair)
        return pair.rows.list
    }

    /// Learns what differs between `old` and `new` (decoded as `oldColumn`
    /// and `newColumn`, of one fixed-width type and count): `rows`, as the
    /// comparison found them. Other types are not learnt.
    mutating func learn(_ old: BlockRef, _ new: BlockRef, rows found: RowSet, oldColumn: Column, newColumn: Column) {
        guard budget > 0, let pair = Pair.between(old, new, rows: found, oldColumn: oldColumn, newColumn: newColumn) else { return }
        adopt(pair)
    }

    /// Keeps `pair` (learnt here or on a thread that decoded ahead), most
    /// recently used, within the budget.
    mutating func adopt(_ pair: Pair) {
        guard budget > 0 else { return }
        if let known = index(pair.versions.0, pair.versions.1) { pairs.remove(at: known) }
        pairs.append(pair)
        while bytes > budget, !pairs.isEmpty { pairs.removeFirst() }
    }

    /// A patch that rebuilds version `target` from a learnt other version
    /// whose column `cached` still holds (the one shown), or `nil`.
    mutating func patch(rebuilding target: BlockRef, from cached: (BlockRef) -> Column?) -> (patch: UndoPatch, source: Column)? {
        for index in pairs.indices.reversed() where pairs[index].involves(target.contentHash) {
            let pair = pairs[index], other = pair.other(than: target.contentHash)
            guard let column = cached(other),
                let patch = UndoPatch(from: other, to: target, currentColumn: column, rows: pair.rows.list, xorValues: pair.xor)
            else { continue }
            pairs.remove(at: index)
            pairs.append(pair)
            return (patch, column)
        }
        return nil
    }
}
