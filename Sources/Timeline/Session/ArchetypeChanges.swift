import Dispatch
import PackCodec

/// What changed in one archetype's table against a base checkpoint (the
/// previous one, a marked one, or another branch's): changed cells per
/// column, rows whose entity is new here, and counts of what left.
///
/// Only this archetype is compared, and a column whose content hash equals
/// the base's is skipped without decoding, so a step costs what changed in
/// what is on screen, not the whole world.
public struct ArchetypeChanges: Sendable {
    /// The checkpoint compared against.
    public var base: CheckpointID
    /// Per column, the changed rows (`nil`: no change).
    public var columns: [RowSet?]
    /// Rows whose entity the base does not have at all.
    public var spawned: RowSet
    /// Rows whose entity the base has in another archetype.
    public var movedIn: RowSet
    /// Base entities of this archetype that no longer exist.
    public var despawned: Int
    /// Base entities of this archetype that are now in another one.
    public var movedOut: Int
    /// Shown columns stored as deltas on the base's, by the base column's
    /// content hash: a step back can rebuild the base's column from the
    /// shown one and the delta record, without decoding it.
    var deltaSources: [ContentHash: BlockRef] = [:]
    /// Of those, the ones whose records were read with their XORed values
    /// (``compute(store:base:current:archetype:ids:columns:learnt:keepingUndo:)``):
    /// the patch back to the base's column, made from what was read, so
    /// the step back needs no record at all.
    var undoPatches: [ContentHash: UndoPatch] = [:]
    /// How the rows moved from the base, where entities left and joined
    /// the way ``RowRemap`` describes: a step back can rebuild the base's
    /// columns and ids from the shown ones by it.
    var remap: RowRemap?

    /// Rows with any change, spawn or move.
    public var anyRow: RowSet {
        var rows = spawned
        rows.formUnion(movedIn)
        for column in columns { if let column { rows.formUnion(column) } }
        return rows
    }

    public var changedCells: Int { columns.reduce(0) { $0 + ($1?.count ?? 0) } }

    /// Compares `table` (archetype `archetype` of `current`) with the same
    /// components' archetype in `base`.
    public static func compute(store: CheckpointStore, base: Checkpoint, current: Checkpoint, archetype: Int,
                        ids: [EntityID], columns: [Column]) throws(TimelineError) -> ArchetypeChanges {
        var learnt = LearntChanges(budget: 0)
        return try compute(store: store, base: base, current: current, archetype: archetype, ids: ids, columns: columns, learnt: &learnt)
    }

    /// ``compute(store:base:current:archetype:ids:columns:)``, reading the
    /// rows of columns compared before from `learnt`, and teaching it those
    /// it compares whole (same rows, no delta record between them).
    /// - Parameter keepingUndo: a delta record read for its rows is read
    ///   with its XORed values, which make ``undoPatches`` (a step back
    ///   from the checkpoint shown to `base`, the one before it, then reads
    ///   nothing), as do the values a step forward XORed into the column
    ///   it handed over. Other rows in hand (deltas applied elsewhere) are
    ///   taken as they are.
    static func compute(store: CheckpointStore, base: Checkpoint, current: Checkpoint, archetype: Int,
                        ids: [EntityID], columns: [Column], learnt: inout LearntChanges,
                        keepingUndo: Bool = false) throws(TimelineError) -> ArchetypeChanges {
        let stored = current.archetypes[archetype]
        let signature = stored.signature
        var changes = ArchetypeChanges(base: base.id, columns: Array(repeating: nil, count: columns.count),
                                   spawned: RowSet(capacity: ids.count), movedIn: RowSet(capacity: ids.count), despawned: 0, movedOut: 0)
        guard let baseIndex = base.archetypeIndex(signature) else {
            // A new archetype: every entity came from elsewhere or is new.
            try changes.classifyUnpaired(rows: Array(ids.indices), ids: ids, store: store, base: base, current: current, archetype: archetype)
            return changes
        }
        let baseArchetype = base.archetypes[baseIndex]
        let keys = stored.components.flatMap { c in c.fields.map { (c.name, $0.name) } }
        if baseArchetype.entities.contentHash == stored.entities.contentHash {
            // Same entities in the same rows: compare changed columns only,
            // and read a delta's row list instead where one column is
            // stored as a delta on the other (stepping, either way).
            var differing: [(Int, BlockRef)] = []
            var compared: [(column: Int, base: BlockRef, mine: BlockRef, learnt: [UInt32]?)] = []
            for (column, key) in keys.enumerated() {
                guard let baseColumn = baseArchetype.columnIndex(key.0, key.1) else { continue }
                let ref = baseArchetype.columns[baseColumn], mine = stored.columns[column]
                if ref.contentHash == mine.contentHash { continue }
                // Learnt first (a chain start crossed before, or its bridge read ahead): asking the store
                // reads a record, the base's where `mine` is no delta on it, which the step does not need.
                compared.append((column, ref, mine, learnt.rows(between: ref, and: mine)))
            }
            // The delta records of the others, read on all cores.
            let unlearnt = compared.filter { $0.learnt == nil }
            var read = Dictionary(uniqueKeysWithValues: zip(unlearnt.map(\.column),
                                                             store.blocks.deltaChanges(unlearnt.map { ($0.mine, $0.base) }, withValues: false,
                                                                                       valuesWhereRead: keepingUndo)))
            for (column, ref, mine, learntRows) in compared {
                var delta: [UInt32]?
                var xorValues: [UInt8]?
                if let rows = learntRows {
                    delta = rows
                } else if let change = try read.removeValue(forKey: column)?.get() {
                    delta = change.rows
                    xorValues = keepingUndo ? change.xorValues : nil
                    changes.deltaSources[ref.contentHash] = mine
                } else {
                    delta = try store.changedRows(of: ref, against: mine)
                }
                if let rows = delta {
                    let set = RowSet(capacity: ids.count, rows: rows)
                    changes.columns[column] = set.isEmpty ? nil : set
                    if let xorValues, let patch = UndoPatch(from: mine, to: ref, currentColumn: columns[column], rows: rows, sharing: set, xorValues: xorValues) {
                        changes.undoPatches[ref.contentHash] = patch
                    }
                } else {
                    differing.append((column, ref))
                }
            }
            let old = try store.columns(differing.map(\.1), label: "\(base.id)")
            let found = AllCores.map(differing.count) { columns[differing[$0].0].rowsDiffering(from: old[$0]) }
            for (index, (column, ref)) in differing.enumerated() {
                changes.columns[column] = found[index].isEmpty ? nil : found[index]
                learnt.learn(ref, stored.columns[column], rows: found[index], oldColumn: old[index], newColumn: columns[column])
            }
            return changes
        }
        // Different rows: pair them by entity id.
        let baseIDs = try store.entities(baseArchetype.entities, label: "entity ids of \(base.id)")
        var pairs = RowPairs(old: baseIDs, new: ids)
        changes.remap = pairs.remap
        var unpaired: [Int] = []
        if let remap = pairs.remap {
            unpaired = Array((ids.count - remap.appended)..<ids.count)
        } else {
            let partners = pairs.oldRow
            for row in ids.indices where partners[row] < 0 { unpaired.append(row) }
        }
        try changes.classifyUnpaired(rows: unpaired, ids: ids, store: store, base: base, current: current, archetype: archetype)
        // Base entities that left this archetype.
        if pairs.pairedCount < baseIDs.count {
            let left: Set<EntityID>
            if let remap = pairs.remap {
                left = Set(remap.removed.map { baseIDs[Int($0)] })
            } else {
                var paired = RowSet(capacity: baseIDs.count)
                let partners = pairs.oldRow
                for row in ids.indices where partners[row] >= 0 { paired.insert(Int(partners[row])) }
                left = Set(baseIDs.indices.filter { !paired.contains($0) }.map { baseIDs[$0] })
            }
            var elsewhere = 0
            for (index, other) in current.archetypes.enumerated() where index != archetype {
                let otherIDs = try store.entities(other.entities, label: "entity ids of \(current.id)")
                elsewhere += otherIDs.reduce(0) { $0 + (left.contains($1) ? 1 : 0) }
            }
            changes.movedOut = elsewhere
            changes.despawned = left.count - elsewhere
        }
        let refs = keys.map { key in baseArchetype.columnIndex(key.0, key.1).map { baseArchetype.columns[$0] } }
        var present: [Int] = []
        for column in refs.indices {
            guard let ref = refs[column] else { continue }
            // A delta on the base's column with its rows remapped as the ids
            // were paired lists the changed rows: the base is not decoded.
            if let remap = pairs.remap, let change = try store.blocks.remappedChange(of: stored.columns[column], against: ref), change.remap == remap {
                let set = RowSet(capacity: ids.count, rows: change.rows, below: ids.count - change.remap.appended)
                changes.columns[column] = set.isEmpty ? nil : set
            } else {
                present.append(column)
            }
        }
        let old = try store.columns(present.map { refs[$0]! }, label: "\(base.id)")
        if !present.isEmpty { pairs.listPartners() }
        let found = AllCores.map(present.count) { columns[present[$0]].rowsDiffering(from: old[$0], pairs: pairs) }
        for (index, column) in present.enumerated() { changes.columns[column] = found[index].isEmpty ? nil : found[index] }
        return changes
    }

    /// Sorts rows without a partner in the base archetype into spawned
    /// (unknown to the base) and moved in (in another base archetype).
    private mutating func classifyUnpaired(rows: [Int], ids: [EntityID], store: CheckpointStore, base: Checkpoint,
                                           current: Checkpoint, archetype: Int) throws(TimelineError) {
        guard !rows.isEmpty else { return }
        let wanted = Set(rows.map { ids[$0] })
        var found = Set<EntityID>()
        let signature = current.archetypes[archetype].signature
        for other in base.archetypes where other.signature != signature {
            for id in try store.entities(other.entities, label: "entity ids of \(base.id)") where wanted.contains(id) { found.insert(id) }
        }
        for row in rows {
            if found.contains(ids[row]) { movedIn.insert(row) } else { spawned.insert(row) }
        }
    }
}

/// For each row of a new id list, its row in an old one (or -1): by the
/// remap when the survivors kept their order and newcomers were appended
/// (how an ECS usually stores a despawn and a spawn, and how the store's
/// remapped deltas describe it), else a merge when both lists ascend, and
/// a hash map otherwise.
struct RowPairs {
    /// The list, once made: by a remap it is made only when asked for
    /// (``listPartners()``), since a step whose columns are all remapped
    /// deltas never reads it (a million rows cost 2 ms to list).
    private var listed: [Int32]?
    var pairedCount: Int
    /// How the rows moved, when the new ids are the old ones without some
    /// (order kept) and with others after them, none of those an old id:
    /// then the kept rows pair in order, and the rest with none.
    var remap: RowRemap?
    /// How many new ids there are.
    let newCount: Int

    /// For each new row, its old row or -1. Listed anew on each read
    /// until ``listPartners()`` keeps it: read it once, into a local.
    var oldRow: [Int32] { listed ?? Self.rows(pairedBy: remap!, newCount: newCount) }

    /// Makes and keeps ``oldRow``, for callers that read it more than once.
    mutating func listPartners() {
        if listed == nil { listed = oldRow }
    }

    init(old: [EntityID], new: [EntityID]) {
        newCount = new.count
        if let remap = RowRemap.between(old: old, new: new, limit: max(1, new.count / ColumnDelta.maxChangedFraction)),
            Set(remap.removed.map { old[Int($0)] }).isDisjoint(with: new[(new.count - remap.appended)...]) {
            pairedCount = new.count - remap.appended
            self.remap = remap
            return
        }
        var oldRow = [Int32](repeating: -1, count: new.count)
        pairedCount = 0
        if Self.ascends(old), Self.ascends(new) {
            var i = 0
            for (row, id) in new.enumerated() {
                while i < old.count, old[i] < id { i += 1 }
                if i < old.count, old[i] == id { oldRow[row] = Int32(i); pairedCount += 1; i += 1 }
            }
        } else {
            var rowOf: [EntityID: Int32] = [:]
            rowOf.reserveCapacity(old.count)
            for (row, id) in old.enumerated() { rowOf[id] = Int32(row) }
            for (row, id) in new.enumerated() {
                if let other = rowOf[id] { oldRow[row] = other; pairedCount += 1 }
            }
        }
        listed = oldRow
    }

    /// For each of `newCount` rows, its old row under `remap`.
    private static func rows(pairedBy remap: RowRemap, newCount: Int) -> [Int32] {
        let kept = newCount - remap.appended
        var rows = [Int32](repeating: -1, count: newCount)
        rows.withUnsafeMutableBufferPointer { rows in
            var old = 0, next = 0
            for row in 0..<kept {
                while next < remap.removed.count, Int(remap.removed[next]) == old { old += 1; next += 1 }
                rows[row] = Int32(old)
                old += 1
            }
        }
        return rows
    }

    static func ascends(_ ids: [EntityID]) -> Bool {
        ids.withUnsafeBufferPointer { buffer in
            guard buffer.count > 1 else { return true }
            for index in 1..<buffer.count where !(buffer[index - 1] < buffer[index]) { return false }
            return true
        }
    }
}
