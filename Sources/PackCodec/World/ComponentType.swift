/// A component type of the schema: a name, a version and ordered fields.
///
/// Every entity that has the component stores one value per field; the
/// values of one field across an archetype form one ``Column``.
public struct ComponentType: Sendable, Hashable {
    /// The component's name, unique within the schema (`Position`).
    public var name: String
    /// The component's version, chosen by the simulation that records it.
    public var version: UInt32
    /// The fields, in the order their columns are stored.
    public var fields: [Field]

    /// Creates a component type.
    public init(name: String, version: UInt32 = 1, fields: [Field]) {
        self.name = name
        self.version = version
        self.fields = fields
    }

    /// The index of the field called `name`, if there is one.
    public func fieldIndex(named name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }
}
