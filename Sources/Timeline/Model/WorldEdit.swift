import PackCodec

/// A change to a world, applied when forking.
public enum WorldEdit: Sendable, Equatable {
    /// Sets one field of one entity: `--set 42.Health.value=10`.
    case set(entity: EntityID, component: String, field: String, value: String)
    /// Removes an entity.
    case despawn(EntityID)
    /// Adds an entity with the components its values name
    /// (`Component.field` → value as text); fields not given are zero,
    /// false or empty.
    case spawn(EntityID, values: [String: String])

    /// Parses `ID:Component.field=VALUE,Component.field=VALUE` (values
    /// cannot contain commas).
    public init?(spawn text: String) {
        guard let colon = text.firstIndex(of: ":"), let id = UInt64(text[..<colon]) else { return nil }
        var values: [String: String] = [:]
        for part in text[text.index(after: colon)...].split(separator: ",") {
            guard let equals = part.firstIndex(of: "="), part[..<equals].split(separator: ".").count == 2 else { return nil }
            values[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard !values.isEmpty else { return nil }
        self = .spawn(EntityID(id), values: values)
    }

    /// Parses `ENTITY.Component.field=VALUE`.
    public init?(assignment: String) {
        guard let equals = assignment.firstIndex(of: "=") else { return nil }
        let path = assignment[..<equals].split(separator: ".", maxSplits: 2).map(String.init)
        guard path.count == 3, let id = UInt64(path[0]) else { return nil }
        self = .set(entity: EntityID(id), component: path[1], field: path[2], value: String(assignment[assignment.index(after: equals)...]))
    }

    /// `no entity 3 (the world's 254 entities have ids 9 to 348)`.
    private static func noEntity(_ entity: EntityID, in snapshot: Snapshot) -> TimelineError {
        let ids = snapshot.archetypes.flatMap(\.entities)
        guard let low = ids.min(), let high = ids.max() else { return .invalidRequest("no entity \(entity): the world has no entities") }
        return .invalidRequest("no entity \(entity) (the world's \(ids.count) entities have ids \(low) to \(high))")
    }

    /// Applies the edit.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` when the entity or
    ///   field does not exist or the value does not fit the field.
    public func apply(to snapshot: inout Snapshot) throws(TimelineError) {
        switch self {
        case let .set(entity, component, field, text):
            for a in snapshot.archetypes.indices {
                guard let row = snapshot.archetypes[a].entities.firstIndex(of: entity) else { continue }
                guard let column = snapshot.archetypes[a].columnIndex(component: component, field: field) else {
                    let fields = snapshot.archetypes[a].components.flatMap { c in c.fields.map { "\(c.name).\($0.name)" } }
                    throw .invalidRequest("entity \(entity) has no \(component).\(field) (its fields: \(fields.joined(separator: ", ")))")
                }
                let type = snapshot.archetypes[a].columns[column].type
                let value: FieldValue
                do { value = try FieldValue.parsed(text, as: type) } catch {
                    throw .invalidRequest("\(component).\(field): \(error.description)")
                }
                var rebuilt = Column(type: type)
                let old = snapshot.archetypes[a].columns[column]
                rebuilt.reserveCapacity(old.count)
                for index in 0..<old.count {
                    do { try rebuilt.append(index == row ? value : old.value(at: index)) } catch { throw .invalidRequest(error.description) }
                }
                snapshot.archetypes[a].columns[column] = rebuilt
                return
            }
            throw Self.noEntity(entity, in: snapshot)
        case let .despawn(entity):
            for a in snapshot.archetypes.indices {
                guard let row = snapshot.archetypes[a].entities.firstIndex(of: entity) else { continue }
                let archetype = snapshot.archetypes[a]
                var columns: [Column] = []
                for old in archetype.columns {
                    var kept = Column(type: old.type)
                    for index in 0..<old.count where index != row {
                        do { try kept.append(old.value(at: index)) } catch { throw .invalidRequest(error.description) }
                    }
                    columns.append(kept)
                }
                var entities = archetype.entities
                entities.remove(at: row)
                snapshot.archetypes[a] = Archetype(components: archetype.components, entities: entities, columns: columns)
                return
            }
            throw Self.noEntity(entity, in: snapshot)
        case let .spawn(entity, values):
            guard !snapshot.archetypes.contains(where: { $0.entities.contains(entity) }) else {
                throw .invalidRequest("entity \(entity) exists already")
            }
            var names = Set<String>()
            for key in values.keys {
                let parts = key.split(separator: ".").map(String.init)
                guard let component = snapshot.schema.component(named: parts[0]), component.fieldIndex(named: parts[1]) != nil else {
                    throw .invalidRequest("the schema has no field \(key)")
                }
                names.insert(component.name)
            }
            let components = snapshot.schema.components.filter { names.contains($0.name) }
            var row: [FieldValue] = []
            for component in components {
                for field in component.fields {
                    let text = values["\(component.name).\(field.name)"]
                    guard let value = text.map({ FieldValue(parsing: $0, as: field.type) }) ?? FieldValue.zero(of: field.type) else {
                        throw .invalidRequest("\(text ?? "") is not a valid \(field.type) value for \(component.name).\(field.name)")
                    }
                    row.append(value)
                }
            }
            let index = snapshot.archetypes.firstIndex { $0.components == components } ?? {
                snapshot.archetypes.append(Archetype(
                    components: components, entities: [],
                    columns: components.flatMap { $0.fields.map { Column(type: $0.type) } }))
                return snapshot.archetypes.count - 1
            }()
            for (column, value) in row.enumerated() {
                do { try snapshot.archetypes[index].columns[column].append(value) } catch { throw .invalidRequest(error.description) }
            }
            snapshot.archetypes[index].entities.append(entity)
        }
    }
}

extension FieldValue {
    /// The value a new field starts with: zero, false, or empty.
    static func zero(of type: FieldType) -> FieldValue {
        switch type {
        case .bool: .bool(false)
        case .int8, .int16, .int32, .int64: .int(0)
        case .uint8, .uint16, .uint32, .uint64: .uint(0)
        case .float32: .float32(0)
        case .float64: .float64(0)
        case .string: .string("")
        case .bytes: .bytes([])
        }
    }
}
