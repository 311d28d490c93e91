extension Snapshot {
    /// The metadata key that names the derived fields: the ones the
    /// simulation recomputes from its state whenever it records a world,
    /// such as an energy computed from positions and velocities. Its value
    /// is `Component.field` names separated by commas
    /// (`"Orbit.energy,Heading.dx"`). Editing a derived field in a fork
    /// changes nothing once the simulation resumes; the debugger says so.
    public static let derivedFieldsKey = "derived"

    /// The `Component.field` names ``derivedFieldsKey`` lists in `metadata`.
    public static func derivedFields(in metadata: [String: String]) -> Set<String> {
        guard let list = metadata[derivedFieldsKey] else { return [] }
        return Set(list.split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty })
    }
}
