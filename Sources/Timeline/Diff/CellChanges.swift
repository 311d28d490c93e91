import PackCodec

/// The changed cells of a ``SnapshotDiff``, ordered by entity, then component
/// and field order. A collection of ``SnapshotDiff/CellChange``: a diff
/// computed by the store keeps, for each field, the rows that changed and
/// the two decoded columns, and makes each change (its names and values)
/// when it is read. So a diff of 300,000 changed cells costs their row
/// numbers, and a caller that shows one screen of them, or counts them,
/// reads no values it does not show.
///
/// ```swift
/// let diff = try store.diff(a, b)
/// print(diff.changed.count)                  // no change is made for this
/// for change in diff.changed.prefix(20) { print(change.entity, change.field, change.old, "->", change.new) }
/// ```
///
/// A diff built by hand lists its changes (an array literal, `append`).
public struct CellChanges: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable, Sendable {
    /// The changed rows of the fields of one pair of archetypes, and the
    /// ids of the first (whose rows they number).
    struct Run: Sendable {
        var ids: [EntityID]
        var fields: [FieldChanges]
    }

    /// One change of the diff's order: a run, a field of it, and a
    /// position in that field's changed rows.
    private struct Entry: Sendable {
        var run: UInt32
        var field: UInt32
        var position: UInt32
    }

    private var listed: [SnapshotDiff.CellChange] = []
    private var runs: [Run] = []
    private var entries: [Entry] = []

    /// No changes.
    public init() {}

    public init(arrayLiteral changes: SnapshotDiff.CellChange...) { listed = changes }

    /// Changes as listed, in the diff's order.
    public init(_ changes: [SnapshotDiff.CellChange]) { listed = changes }

    /// The changes of `runs`: each run's in row order, then field order,
    /// and the runs after one another; then by entity (stable: an entity's
    /// fields stay in order) unless that is already the order.
    init(runs: [Run], inEntityOrder: Bool) {
        self.runs = runs
        entries = runs.count == 1 ? Self.merge(runs[0], number: 0) : runs.enumerated().flatMap { Self.merge($1, number: UInt32($0)) }
        if !inEntityOrder {
            let entities = entries.map { entity(of: $0) }
            entries = entries.indices.sorted { (entities[$0], $0) < (entities[$1], $1) }.map { entries[$0] }
        }
    }

    /// The run's changes ordered by row, then field: a merge of the
    /// fields' row lists, which are each ordered by row. Each round takes
    /// the smallest row any field is at and lists it for every field at
    /// that row, in field order. The lists' rows are copied into one flat
    /// array first and the merge runs over buffer pointers (a diff at
    /// 1,000,000 entities merges 300,000 changes).
    private static func merge(_ run: Run, number: UInt32) -> [Entry] {
        let fieldCount = run.fields.count
        var flat: [UInt32] = []
        flat.reserveCapacity(run.fields.reduce(0) { $0 + $1.rows.count })
        // Field `f`'s rows are flat[starts[f]..<starts[f + 1]].
        var starts = [0]
        for field in run.fields {
            flat.append(contentsOf: field.rows)
            starts.append(flat.count)
        }
        let total = flat.count
        return [Entry](unsafeUninitializedCapacity: total) { output, initialized in
            flat.withUnsafeBufferPointer { flat in
                var heads = Array(starts.dropLast())
                heads.withUnsafeMutableBufferPointer { heads in
                    var count = 0
                    while count < total {
                        var smallest = UInt32.max
                        for field in 0..<fieldCount where heads[field] < starts[field + 1] && flat[heads[field]] < smallest {
                            smallest = flat[heads[field]]
                        }
                        for field in 0..<fieldCount where heads[field] < starts[field + 1] && flat[heads[field]] == smallest {
                            output[count] = Entry(run: number, field: UInt32(field), position: UInt32(heads[field] - starts[field]))
                            count += 1
                            heads[field] += 1
                        }
                    }
                    initialized = count
                }
            }
        }
    }

    private func entity(of entry: Entry) -> EntityID {
        let run = runs[Int(entry.run)]
        return run.ids[Int(run.fields[Int(entry.field)].rows[Int(entry.position)])]
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { runs.isEmpty ? listed.count : entries.count }

    /// The change at `position`, made now from the decoded columns.
    public subscript(position: Int) -> SnapshotDiff.CellChange {
        guard !runs.isEmpty else { return listed[position] }
        let entry = entries[position]
        let run = runs[Int(entry.run)]
        let field = run.fields[Int(entry.field)]
        let (rowA, rowB) = field.rowPair(Int(entry.position))
        return .init(entity: run.ids[rowA], component: field.component, field: field.field,
                     old: field.old.value(at: rowA), new: field.new.value(at: rowB))
    }

    /// Adds a change at the end (a diff built by hand).
    public mutating func append(_ change: SnapshotDiff.CellChange) {
        if !runs.isEmpty {
            listed = Array(self)
            runs = []
            entries = []
        }
        listed.append(change)
    }

    /// Changed cells counted per `Component.field`, in the order the fields
    /// first change; counted from the row lists, without making changes.
    public var countsPerField: [(key: String, count: Int)] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        func count(_ key: String, _ number: Int) {
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += number
        }
        if runs.isEmpty {
            for change in listed { count("\(change.component).\(change.field)", 1) }
        } else {
            // The order of first appearance: the first entry of each (run, field).
            var offsets: [Int] = [], total = 0
            for run in runs { offsets.append(total); total += run.fields.count }
            var first = [Int](repeating: .max, count: total)
            for (index, entry) in entries.enumerated() {
                let slot = offsets[Int(entry.run)] + Int(entry.field)
                if first[slot] == .max { first[slot] = index }
            }
            var fields: [(first: Int, field: FieldChanges)] = []
            for (number, run) in runs.enumerated() {
                for (index, field) in run.fields.enumerated() where first[offsets[number] + index] != .max {
                    fields.append((first[offsets[number] + index], field))
                }
            }
            for (_, field) in fields.sorted(by: { $0.first < $1.first }) { count("\(field.component).\(field.field)", field.rows.count) }
        }
        return order.map { ($0, counts[$0]!) }
    }

    public static func == (lhs: CellChanges, rhs: CellChanges) -> Bool { lhs.elementsEqual(rhs) }
}

/// The changed rows of one field between two archetypes.
struct FieldChanges: Sendable {
    var component: String
    var field: String
    /// The rows of the first archetype (of `old`) whose value changed,
    /// ascending.
    var rows: [UInt32]
    /// Where each changed row's new value is in `new`.
    var newRows: NewRows
    var old: Column
    /// The second archetype's column, or the changed values alone (in the
    /// order of `rows`) when they were read off a delta record.
    var new: Column

    /// Where the new values of a field's changed rows are.
    enum NewRows: Sendable {
        /// At the same rows: both archetypes hold the same entities in the same rows.
        case same
        /// In the order of the changes: `new` holds the changed values alone.
        case inOrder
        /// At each change's partner row, listed in the order of the changes.
        case partners([UInt32])
    }

    /// The row of change `position` in `old`, and of its new value in `new`.
    func rowPair(_ position: Int) -> (old: Int, new: Int) {
        let row = Int(rows[position])
        switch newRows {
        case .same: return (row, row)
        case .inOrder: return (row, position)
        case .partners(let partners): return (row, Int(partners[position]))
        }
    }
}
