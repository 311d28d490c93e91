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
