/// One named, typed field of a component, such as `x: f32` of `Position`.
public struct Field: Sendable, Hashable {
    /// The field's name, unique within its component.
    public var name: String
    /// The field's primitive type.
    public var type: FieldType

    /// Creates a field.
    public init(_ name: String, _ type: FieldType) {
        self.name = name
        self.type = type
    }
}
