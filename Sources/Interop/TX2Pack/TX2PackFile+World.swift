import PackCodec

extension TX2PackFile {
    /// As a Tickscope world. tx2-pack stores one archetype per component;
    /// Tickscope groups entities by the set of components they have, so
    /// each tx2-pack component becomes a Tickscope component with the same
    /// fields and types, and each combination of components an archetype
    /// (entities in id order). A `Blob` component has no fields; its bytes
    /// are in the metadata as `tx2pack.blob.NAME` (hex). Entity metadata
    /// becomes a `tx2pack.EntityMetadata` component (created_at, modified_at,
    /// tags as a JSON array). The header's timestamp is kept in the metadata.
    /// - Throws: ``InteropError/malformed(_:)`` for a component that lists an
    ///   entity twice, or fields that disagree across archetypes.
    public func world() throws(InteropError) -> Snapshot {
        var components: [ComponentType] = []
        var rowOf: [[UInt32: Int]] = []
        var metadata = ["format": "tx2-pack", "tx2pack.timestamp": String(header.timestamp)]
        for archetype in archetypes {
            guard !components.contains(where: { $0.name == archetype.component }) else {
                throw .malformed("component \(archetype.component) appears twice")
            }
            var rows: [UInt32: Int] = [:]
            for (row, id) in archetype.entities.enumerated() {
                guard rows.updateValue(row, forKey: id) == nil else { throw .malformed("\(archetype.component) lists entity \(id) twice") }
            }
            rowOf.append(rows)
            switch archetype.data {
            case .structOfArrays(let fields):
                components.append(ComponentType(name: archetype.component, fields: fields.map { Field($0.name, $0.column.type) }))
            case .blob(let bytes):
                components.append(ComponentType(name: archetype.component, fields: []))
                metadata["tx2pack.blob.\(archetype.component)"] = bytes.hexString
            }
        }
        let metadataComponent = ComponentType(name: Self.entityMetadataComponent, fields: [
            Field("created_at", .int64), Field("modified_at", .int64), Field("tags", .string),
        ])
        var entityMeta: [UInt32: EntityMetadata] = [:]
        for (entity, value) in entityMetadata { entityMeta[entity] = value }
        if !entityMeta.isEmpty { components.append(metadataComponent) }
        // Group entities by the components they have.
        var memberships: [UInt32: [Int]] = [:]
        for (index, rows) in rowOf.enumerated() { for id in rows.keys { memberships[id, default: []].append(index) } }
        for id in entityMeta.keys { memberships[id, default: []].append(archetypes.count) }
        var groups: [[Int]: [UInt32]] = [:]
        for (id, members) in memberships { groups[members.sorted(), default: []].append(id) }
        var result: [Archetype] = []
        for members in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let ids = groups[members]!.sorted()
            var columns: [Column] = []
            for member in members {
                if member == archetypes.count {
                    let values = ids.map { entityMeta[$0]! }
                    columns.append(Column(values.map(\.createdAt)))
                    columns.append(Column(values.map(\.modifiedAt)))
                    columns.append(Column(strings: values.map { JSONValue.array($0.tags.map(JSONValue.string)).text }))
                    continue
                }
                guard case .structOfArrays(let fields) = archetypes[member].data else { continue }
                let rows = ids.map { rowOf[member][$0]! }
                for field in fields { columns.append(field.column.gathering(rows)) }
            }
            result.append(Archetype(components: members.map { components[$0 == archetypes.count ? components.count - 1 : $0] },
                                    entities: ids.map { EntityID(UInt64($0)) }, columns: columns))
        }
        let world = Snapshot(schema: Schema(components: components), archetypes: result, metadata: metadata)
        do { try world.validate() } catch { throw .world(error) }
        return world
    }

    /// The component tx2-pack's per-entity metadata becomes.
    public static let entityMetadataComponent = "tx2pack.EntityMetadata"
}

extension Column {
    /// The values at `rows`, in that order.
    func gathering(_ rows: [Int]) -> Column {
        if let width = type.width {
            var bytes = [UInt8]()
            bytes.reserveCapacity(rows.count * width)
            storage.withUnsafeBytes { raw in
                for row in rows { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[row * width..<(row + 1) * width])) }
            }
            return (try? Column(fixedWidth: type, count: rows.count, storage: bytes)) ?? Column(type: type)
        }
        let values = rows.map { Array(variableBytes(at: $0)) }
        return type == .string ? Column(strings: values.map { String(decoding: $0, as: UTF8.self) }) : Column(byteStrings: values)
    }
}

extension TX2PackFile {
    /// A tx2-pack file of `world`: one component archetype per component
    /// (its entities in id order, its fields as typed arrays), and the
    /// `tx2pack.EntityMetadata` component back as entity metadata. Headers
    /// are filled as tx2-pack's `PackedSnapshot::new` and writer do (the
    /// inner header says zstd, with zero checksum and offsets).
    /// - Parameter lossy: convert anyway when something would be dropped.
    /// - Throws: ``InteropError/lossy(_:)`` listing what tx2-pack cannot
    ///   hold: ids above 2^32 − 1, world time, seed and custom resources, other
    ///   metadata.
    public init(world: Snapshot, lossy: Bool) throws(InteropError) {
        var dropped: [String] = []
        var header = Header()
        header.timestamp = world.metadata["tx2pack.timestamp"].flatMap { Int64($0) } ?? 0
        var members: [String: [(id: UInt32, archetype: Int, row: Int)]] = [:]
        var tooLarge = 0
        for (index, archetype) in world.archetypes.enumerated() {
            for (row, id) in archetype.entities.enumerated() {
                guard let small = UInt32(exactly: id.rawValue) else { tooLarge += 1; continue }
                for component in archetype.components { members[component.name, default: []].append((small, index, row)) }
            }
        }
        if tooLarge > 0 { dropped.append("\(tooLarge) entities whose ids do not fit in tx2-pack's u32") }
        var archetypes: [ComponentArchetype] = []
        var entityMetadata: [(entity: UInt32, metadata: EntityMetadata)] = []
        for component in world.schema.components {
            let rows = (members[component.name] ?? []).sorted { $0.id < $1.id }
            func column(_ field: Field) -> Column {
                var parts: [Column] = []
                var current: (archetype: Int, rows: [Int])?
                for member in rows {
                    if current?.archetype != member.archetype {
                        if let current { parts.append(Self.column(world, current.archetype, component.name, field.name).gathering(current.rows)) }
                        current = (member.archetype, [])
                    }
                    current!.rows.append(member.row)
                }
                if let current { parts.append(Self.column(world, current.archetype, component.name, field.name).gathering(current.rows)) }
                return Self.concatenate(parts, type: field.type)
            }
            if component.name == Self.entityMetadataComponent {
                let created = column(Field("created_at", .int64)).values(as: Int64.self), modified = column(Field("modified_at", .int64)).values(as: Int64.self)
                let tags = column(Field("tags", .string))
                for (index, member) in rows.enumerated() {
                    let text = String(decoding: tags.variableBytes(at: index), as: UTF8.self)
                    let list: [String]
                    if case .array(let values)? = try? JSONParser.parse(Array(text.utf8)) { list = values.compactMap { if case .string(let s) = $0 { s } else { nil } } } else { list = [] }
                    entityMetadata.append((member.id, EntityMetadata(createdAt: created[index], modifiedAt: modified[index], tags: list)))
                }
                continue
            }
            let data: ComponentArchetype.Data
            if component.fields.isEmpty, let hex = world.metadata["tx2pack.blob.\(component.name)"], let blob = [UInt8](hex: hex) {
                data = .blob(blob)
            } else {
                data = .structOfArrays(component.fields.map { (name: $0.name, column: column($0)) })
            }
            archetypes.append(ComponentArchetype(component: component.name, entities: rows.map(\.id), data: data))
        }
        header.entityCount = UInt64(world.entityCount - tooLarge)
        header.componentCount = UInt64(archetypes.count)
        header.archetypeCount = UInt64(archetypes.count)
        if world.resources.tick != 0 || world.resources.worldTime != 0 || world.resources.seed != 0 || !world.resources.custom.isEmpty {
            dropped.append("the tick, world time, seed and custom resources (a tx2-pack file has none; a store keeps world time in .meta.json)")
        }
        if world.metadata.keys.contains(where: { $0 != "format" && $0 != "tx2pack.timestamp" && !$0.hasPrefix("tx2pack.blob.") }) { dropped.append("metadata") }
        if !dropped.isEmpty, !lossy { throw .lossy(dropped) }
        self.init(header: header, innerHeader: header, archetypes: archetypes, entityMetadata: entityMetadata)
    }

    private static func column(_ world: Snapshot, _ archetype: Int, _ component: String, _ field: String) -> Column {
        let index = world.archetypes[archetype].columnKeys.firstIndex(of: ColumnKey(component: component, field: field))!
        return world.archetypes[archetype].columns[index]
    }

    private static func concatenate(_ parts: [Column], type: FieldType) -> Column {
        if parts.count == 1 { return parts[0] }
        if type.width != nil {
            let storage = parts.flatMap(\.storage)
            return (try? Column(fixedWidth: type, count: parts.reduce(0) { $0 + $1.count }, storage: storage)) ?? Column(type: type)
        }
        let values = parts.flatMap { part in (0..<part.count).map { Array(part.variableBytes(at: $0)) } }
        return type == .string ? Column(strings: values.map { String(decoding: $0, as: UTF8.self) }) : Column(byteStrings: values)
    }
}
