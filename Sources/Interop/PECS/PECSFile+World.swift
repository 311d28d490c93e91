import PackCodec

extension PECSFile {
    /// As a Tickscope world. Entities are grouped by their component types
    /// into archetypes, in file order. Component bytes become fields with a
    /// schema that names the type and matches its size, else one `bytes`
    /// field. Entity ids: a stable id's low half when every stable id has the
    /// same high half (the crate's per-process seed; kept in the metadata as
    /// `pecs.stable_id_high`) and the low halves are distinct; otherwise the
    /// record index, with the 128-bit id kept in a `PECS.StableId` component.
    public func world(schema: PECSSchema?) throws(InteropError) -> Snapshot {
        var names: [ID128: String] = [:]
        var metadata = ["format": layout == .crate ? "PECS (crate layout)" : "PECS (ADR-007 layout)"]
        for type in types {
            names[type.id] = type.name
            metadata["pecs.type.\(type.name)"] = "\(type.id) \(type.version)"
        }
        let highs = Set(entities.map(\.stableID.high))
        let byLow = highs.count <= 1 && Set(entities.map(\.stableID.low)).count == entities.count
        if byLow, let high = highs.first { metadata["pecs.stable_id_high"] = String(high, radix: 16).padded(16) }
        let stableComponent = PackCodec.ComponentType(name: "PECS.StableId", fields: [Field("hex", .string)])
        var schemaTypes: [ID128: PackCodec.ComponentType] = [:]
        /// The component for `type` whose values are `size` bytes (`nil`:
        /// not used by any entity; -1: sizes differ, so bytes).
        func component(_ type: ID128, size: Int?) -> PackCodec.ComponentType {
            let name = names[type] ?? "type \(type)"
            if let fields = schema?.components[name], size == nil || schema?.size(of: name) == size { return PackCodec.ComponentType(name: name, fields: fields) }
            return PackCodec.ComponentType(name: name, fields: [Field("bytes", .bytes)])
        }
        // Schema order: the registry's, then types it lacks as they appear.
        var rank: [ID128: Int] = [:]
        for type in types { rank[type.id] = rank.count }
        for entity in entities { for part in entity.components where rank[part.type] == nil { rank[part.type] = rank.count } }
        var order: [[ID128]] = []
        var members: [[ID128]: [Int]] = [:]
        for (index, entity) in entities.enumerated() {
            let key = entity.components.map(\.type)
            guard Set(key).count == key.count else { throw .malformed("entity \(entity.stableID) has a component type twice") }
            let sorted = key.sorted { rank[$0]! < rank[$1]! }
            if members[sorted] == nil { order.append(sorted) }
            members[sorted, default: []].append(index)
        }
        var archetypes: [Archetype] = []
        for key in order {
            let rows = members[key]!
            var components: [PackCodec.ComponentType] = []
            var columns: [Column] = []
            for type in key {
                let parts = rows.map { row in entities[row].components.first { $0.type == type }!.data }
                let sizes = Set(parts.map(\.count))
                let kind = component(type, size: sizes.count == 1 ? sizes.first! : -1)
                if let existing = schemaTypes[type], existing != kind { throw .malformed("component \(kind.name) has different sizes in different entities") }
                schemaTypes[type] = kind
                components.append(kind)
                if kind.fields.count == 1, kind.fields[0].type == .bytes {
                    columns.append(Column(byteStrings: parts))
                    continue
                }
                var offset = 0
                for field in kind.fields {
                    let width = field.type.width!
                    let storage = parts.flatMap { $0[offset..<offset + width] }
                    do { columns.append(try Column(fixedWidth: field.type, count: rows.count, storage: storage)) } catch { throw .world(error) }
                    offset += width
                }
            }
            if !byLow {
                components.append(stableComponent)
                columns.append(Column(strings: rows.map { entities[$0].stableID.description }))
            }
            let ids = rows.map { byLow ? EntityID(entities[$0].stableID.low) : EntityID(UInt64($0)) }
            archetypes.append(Archetype(components: components, entities: ids, columns: columns))
        }
        // Every registered type is in the schema, used or not, so writing
        // the world back keeps the registry.
        for type in types where schemaTypes[type.id] == nil { schemaTypes[type.id] = component(type.id, size: nil) }
        var all = rank.sorted { $0.value < $1.value }.compactMap { schemaTypes[$0.key] }
        if !byLow { all.append(stableComponent) }
        var custom: [String: String] = [:]
        for resource in resources { custom["pecs.resource.\(resource.type)"] = resource.data.hexString }
        let world = Snapshot(schema: Schema(components: all), archetypes: archetypes, resources: Resources(custom: custom), metadata: metadata)
        do { try world.validate() } catch { throw .world(error) }
        return world
    }
}

extension PECSFile {
    /// A PECS file of `world` in `layout`. Each component becomes a type
    /// (its id and version from the metadata a PECS read left, else the
    /// CRC-64 of its name), its fixed-width fields packed little-endian in
    /// order (a lone `bytes` field is written as is).
    /// - Throws: ``InteropError/lossy(_:)`` listing what PECS cannot hold:
    ///   text fields, tick, time and seed, resources in the crate layout,
    ///   other metadata.
    public init(world: Snapshot, layout: Layout, lossy: Bool) throws(InteropError) {
        var dropped: [String] = []
        var types: [TypeEntry] = []
        var idOf: [String: ID128] = [:]
        func parseID(_ hex: Substring) -> ID128? {
            guard hex.count == 32, let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else { return nil }
            return ID128(high: high, low: low)
        }
        for component in world.schema.components where component.name != "PECS.StableId" {
            let recorded = world.metadata["pecs.type.\(component.name)"]?.split(separator: " ")
            let id = recorded.flatMap { $0.first.flatMap(parseID) } ?? ID128(high: 0, low: CRC64WE.checksum(component.name.utf8))
            let version = recorded.flatMap { $0.count > 1 ? UInt32($0[1]) : nil } ?? 1
            types.append(TypeEntry(id: id, name: component.name, version: version))
            idOf[component.name] = id
        }
        let high = world.metadata["pecs.stable_id_high"].flatMap { UInt64($0, radix: 16) } ?? 0
        var entities: [Entity] = []
        for archetype in world.archetypes {
            let keys = archetype.columnKeys
            let stableColumn = keys.firstIndex(of: ColumnKey(component: "PECS.StableId", field: "hex"))
            for row in 0..<archetype.count {
                var stable = ID128(high: high, low: archetype.entities[row].rawValue)
                if let stableColumn, let parsed = parseID(Substring(String(decoding: archetype.columns[stableColumn].variableBytes(at: row), as: UTF8.self))) {
                    stable = parsed
                }
                var parts: [(type: ID128, data: [UInt8])] = []
                var column = 0
                for component in archetype.components {
                    defer { column += component.fields.count }
                    guard component.name != "PECS.StableId" else { continue }
                    var data: [UInt8] = []
                    for (index, field) in component.fields.enumerated() {
                        let values = archetype.columns[column + index]
                        if let width = field.type.width {
                            data.append(contentsOf: values.storage[row * width..<(row + 1) * width])
                        } else if component.fields.count == 1, field.type == .bytes {
                            data.append(contentsOf: values.variableBytes(at: row))
                        } else {
                            dropped.append("the text field \(component.name).\(field.name)")
                        }
                    }
                    parts.append((idOf[component.name]!, data))
                }
                entities.append(Entity(stableID: stable, components: parts))
            }
        }
        var resources: [(type: ID128, data: [UInt8])] = []
        for (key, value) in world.resources.custom.sorted(by: { $0.key < $1.key }) {
            if key.hasPrefix("pecs.resource."), let id = parseID(key.dropFirst("pecs.resource.".count)), let bytes = [UInt8](hex: value), layout == .adr007 {
                resources.append((id, bytes))
            } else {
                dropped.append(layout == .crate && key.hasPrefix("pecs.resource.") ? "resources (the crate layout has none)" : "custom resource \(key)")
            }
        }
        if world.resources.tick != 0 || world.resources.worldTime != 0 || world.resources.seed != 0 { dropped.append("the tick, world time and seed") }
        if world.metadata.keys.contains(where: { $0 != "format" && !$0.hasPrefix("pecs.") }) { dropped.append("metadata") }
        dropped = Array(Set(dropped)).sorted()
        if !dropped.isEmpty, !lossy { throw .lossy(dropped) }
        self.init(layout: layout, version: 1, flags: 0, types: types, entities: entities)
        self.resources = resources
    }
}
