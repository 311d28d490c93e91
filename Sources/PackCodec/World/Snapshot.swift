/// The state of a whole world at one instant: what a checkpoint holds and
/// what a native snapshot file stores.
public struct Snapshot: Sendable, Hashable {
    /// The component types.
    public var schema: Schema
    /// The archetypes, each a distinct set of components.
    public var archetypes: [Archetype]
    /// Tick, world time, seed and custom world-level values.
    public var resources: Resources
    /// Free-form key/values about the recording (tool, author, notes).
    /// Written sorted by key.
    public var metadata: [String: String]

    /// Creates a snapshot. Call ``validate()`` before relying on its invariants.
    public init(
        schema: Schema, archetypes: [Archetype] = [],
        resources: Resources = Resources(), metadata: [String: String] = [:]
    ) {
        self.schema = schema
        self.archetypes = archetypes
        self.resources = resources
        self.metadata = metadata
    }

    /// The total number of entities in all archetypes.
    public var entityCount: Int { archetypes.reduce(0) { $0 + $1.count } }

    /// Checks the world model's invariants: a valid schema; every archetype's
    /// components are schema components in schema order, with no archetype
    /// repeating another's set; one column per field with the field's type
    /// and one value per entity; no entity id appearing twice.
    /// - Throws: ``PackError/invalidWorld(_:)`` naming the first problem.
    ///
    /// - Complexity: O(n) when each archetype's ids are sorted and the
    ///   archetypes' id ranges do not overlap; O(n) expected with hashing otherwise.
    public func validate() throws(PackError) {
        try validateStructure()
        try validateUniqueEntityIDs()
    }

    /// Checks everything ``validate()`` does except entity-id uniqueness,
    /// in time proportional to the number of columns, not entities.
    public func validateStructure() throws(PackError) {
        try schema.validate()
        var sets = Set<[String]>()
        for (index, archetype) in archetypes.enumerated() {
            let names = archetype.components.map(\.name)
            guard sets.insert(names).inserted else {
                throw .invalidWorld("archetype \(index) repeats the component set \(names)")
            }
            var last = -1
            for component in archetype.components {
                guard let position = schema.componentIndex(named: component.name),
                    schema.components[position] == component
                else { throw .invalidWorld("archetype \(index) has component \(component.name), which the schema lacks") }
                guard position > last else {
                    throw .invalidWorld("archetype \(index) lists its components out of schema order")
                }
                last = position
            }
            let keys = archetype.columnKeys
            let types = archetype.components.flatMap { $0.fields.map(\.type) }
            guard archetype.columns.count == keys.count else {
                throw .invalidWorld("archetype \(index) has \(archetype.columns.count) columns for \(keys.count) fields")
            }
            for (column, (key, type)) in zip(archetype.columns, zip(keys, types)) {
                guard column.type == type else {
                    throw .invalidWorld("column \(key) of archetype \(index) holds \(column.type), the schema says \(type)")
                }
                guard column.count == archetype.count else {
                    throw .invalidWorld("column \(key) of archetype \(index) has \(column.count) values for \(archetype.count) entities")
                }
            }
        }
    }

    private func validateUniqueEntityIDs() throws(PackError) {
        if let id = EntityID.firstRepeated(in: archetypes.map(\.entities)) { throw .invalidWorld("entity \(id) appears twice") }
    }
}
