import PackCodec
import TickscopeRecorder

#if canImport(Glibc)
import Glibc
#endif

/// One tick's world as the C interface gathers it, call by call, until
/// `ts_frame_commit` turns it into a ``Snapshot`` (or refuses it whole).
struct Frame {
    /// An archetype being filled: its components and ids, and the columns
    /// set so far by `Component.field`: copied, or lent.
    struct Part {
        var components: [ComponentType]
        var ids: [EntityID]
        /// Whether `ids` is the id column of this archetype in the last
        /// committed frame, which was checked.
        var idsAsCommitted = false
        var columns: [String: Column] = [:]
        var lent: [String: LentColumn] = [:]
    }

    var tick: UInt64
    var worldTime: Double
    var parts: [Part] = []

    /// Whether any column is lent (`ts_frame_column_lent`).
    var lendsColumns: Bool { parts.contains { !$0.lent.isEmpty } }

    /// The snapshot of a frame whose columns were all copied, after checking
    /// that every field of every archetype was set and the world keeps the
    /// model's rules (ids unique, each component set once). When every
    /// archetype kept the ids of the last committed frame, those are unique
    /// already (a checked world's archetypes, each once), and only the
    /// structure is checked.
    func snapshot(schema: Schema) throws(CFailure) -> Snapshot {
        try checkEveryFieldSet()
        // Every column was copied, so none is read here.
        let world = try build(schema: schema) { _, key, _ throws(CFailure) in throw .argument("frame of tick \(tick): \(key) is lent") }
        do {
            if keepsCommittedIDs { try world.validateStructure() } else { try world.validate() }
        } catch { throw .argument("frame of tick \(tick): \(error)") }
        return world
    }

    /// Checks a frame with lent columns as ``snapshot(schema:)`` checks the
    /// world, without reading them: the fields' types and lengths were
    /// checked as they were set, and lent values have no rules to break
    /// (`bool` columns are never lent).
    func checkLending() throws(CFailure) {
        try checkEveryFieldSet()
        var sets = Set<[String]>()
        for (index, part) in parts.enumerated() where !sets.insert(part.components.map(\.name)).inserted {
            throw .argument("frame of tick \(tick): archetype \(index) repeats the component set \(part.components.map(\.name))")
        }
        if !keepsCommittedIDs, let id = EntityID.firstRepeated(in: parts.map(\.ids)) {
            throw .argument("frame of tick \(tick): entity \(id) appears twice")
        }
    }

    /// The world, each lent column read by `read` (its archetype, its
    /// `Component.field` and where it lies).
    func build<Failure: Error>(schema: Schema, read: (Part, String, LentColumn) throws(Failure) -> Column) throws(Failure) -> Snapshot {
        var archetypes: [Archetype] = []
        for part in parts {
            var columns: [Column] = []
            for component in part.components {
                for field in component.fields {
                    let key = "\(component.name).\(field.name)"
                    if let column = part.columns[key] { columns.append(column) } else { columns.append(try read(part, key, part.lent[key]!)) }
                }
            }
            archetypes.append(Archetype(components: part.components, entities: part.ids, columns: columns))
        }
        return Snapshot(schema: schema, archetypes: archetypes, resources: Resources(tick: tick, worldTime: worldTime))
    }

    private var keepsCommittedIDs: Bool { !parts.isEmpty && parts.allSatisfy(\.idsAsCommitted) }

    private func checkEveryFieldSet() throws(CFailure) {
        for (index, part) in parts.enumerated() {
            for component in part.components {
                for field in component.fields {
                    let key = "\(component.name).\(field.name)"
                    guard part.columns[key] != nil || part.lent[key] != nil else {
                        throw .argument("frame of tick \(tick): archetype \(index) has no values for \(key)")
                    }
                }
            }
        }
    }
}

/// A column's values in the caller's memory: `count` values of `type`, the
/// i-th at `data + i * stride`.
struct LentColumn {
    var type: FieldType
    var data: UnsafeRawPointer?
    var count: Int
    var stride: Int

    var width: Int { type.width! }
    var isPacked: Bool { stride == 0 || stride == width }

    /// Whether `column` holds exactly these values (packed only).
    func equals(_ column: Column) -> Bool {
        guard isPacked, column.type == type, column.count == count else { return false }
        return count == 0 || column.storage.withUnsafeBytes { memcmp($0.baseAddress!, data!, count * width) == 0 }
    }

    /// The values copied into `storage` (emptied first, its capacity kept).
    func copy(into storage: inout [UInt8]) {
        guard count > 0, let data else { return }
        if isPacked {
            storage.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count * width))
        } else {
            for index in 0..<count { storage.append(contentsOf: UnsafeRawBufferPointer(start: data + index * stride, count: width)) }
        }
    }

    /// The column: `previous` when it holds the same values (an unchanged
    /// column is shared, not copied), else a copy into a pooled buffer.
    func column(previous: Column?, pool: BufferPool) throws(PackError) -> Column {
        if let previous, equals(previous) { return previous }
        var storage = pool.takeBytes(capacity: count * width)
        copy(into: &storage)
        return try Column(fixedWidth: type, count: count, storage: storage)
    }
}
