/// The component types a snapshot can hold, in a fixed order.
public struct Schema: Sendable, Hashable {
    /// The component types; their order is the order in the file.
    public var components: [ComponentType]

    /// Creates a schema.
    public init(components: [ComponentType] = []) {
        self.components = components
    }

    /// The component type called `name`, if there is one.
    public func component(named name: String) -> ComponentType? {
        components.first { $0.name == name }
    }

    /// The index of the component type called `name`, if there is one.
    public func componentIndex(named name: String) -> Int? {
        components.firstIndex { $0.name == name }
    }

    /// Checks that names are non-empty and unique (component names within
    /// the schema, field names within each component).
    /// - Throws: ``PackError/invalidWorld(_:)`` naming the first problem.
    public func validate() throws(PackError) {
        var seen = Set<String>()
        for component in components {
            guard !component.name.isEmpty else { throw .invalidWorld("a component has an empty name") }
            guard seen.insert(component.name).inserted else {
                throw .invalidWorld("component \(component.name) is declared twice")
            }
            var fieldNames = Set<String>()
            for field in component.fields {
                guard !field.name.isEmpty else {
                    throw .invalidWorld("component \(component.name) has a field with an empty name")
                }
                guard fieldNames.insert(field.name).inserted else {
                    throw .invalidWorld("field \(component.name).\(field.name) is declared twice")
                }
            }
        }
    }
}
