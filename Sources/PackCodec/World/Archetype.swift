/// The entities that have exactly one set of components, stored as a
/// struct of arrays: one column of entity ids and one ``Column`` per field
/// of each component.
///
/// ``columns`` is flat: the fields of `components[0]` in field order, then
/// those of `components[1]`, and so on. ``column(component:field:)`` finds one
/// by name.
public struct Archetype: Sendable, Hashable {
    /// The component types every entity here has, in schema order.
    public var components: [ComponentType]
    /// The entity ids, one per row.
    public var entities: [EntityID]
    /// One column per field of each component (see the type's documentation).
    public var columns: [Column]

    /// Creates an archetype. ``Snapshot/validate()`` checks that the parts fit.
    public init(components: [ComponentType], entities: [EntityID], columns: [Column]) {
        self.components = components
        self.entities = entities
        self.columns = columns
    }

    /// The number of entities (rows).
    public var count: Int { entities.count }

    /// The component and field of each column, in column order.
    public var columnKeys: [ColumnKey] {
        components.flatMap { component in
            component.fields.map { ColumnKey(component: component.name, field: $0.name) }
        }
    }

    /// The index in ``columns`` of `component.field`, if the archetype has it.
    public func columnIndex(component: String, field: String) -> Int? {
        var index = 0
        for candidate in components {
            if candidate.name == component {
                guard let offset = candidate.fieldIndex(named: field) else { return nil }
                return index + offset
            }
            index += candidate.fields.count
        }
        return nil
    }

    /// The column of `component.field`, if the archetype has it.
    public func column(component: String, field: String) -> Column? {
        columnIndex(component: component, field: field).map { columns[$0] }
    }
}

/// Names one column of an archetype: `Position.x`.
public struct ColumnKey: Sendable, Hashable, CustomStringConvertible {
    /// The component's name.
    public var component: String
    /// The field's name.
    public var field: String

    /// Creates a key.
    public init(component: String, field: String) {
        self.component = component
        self.field = field
    }

    public var description: String { "\(component).\(field)" }
}
