import PackCodec

/// One tick's world as the C interface gathers it, call by call, until
/// `ts_frame_commit` turns it into a ``Snapshot`` (or refuses it whole).
struct Frame {
    /// An archetype being filled: its components and ids, and the columns
    /// set so far by `Component.field`.
    struct Part {
        var components: [ComponentType]
        var ids: [EntityID]
        /// Whether `ids` is the id column of this archetype in the last
        /// committed frame, which was checked.
        var idsAsCommitted = false
        var columns: [String: Column] = [:]
    }

    var tick: UInt64
    var worldTime: Double
    var parts: [Part] = []

    /// The snapshot, after checking that every field of every archetype
    /// was set and the world keeps the model's rules (ids unique, each
    /// component set once). When every archetype kept the ids of the last
    /// committed frame, those are unique already (a checked world's
    /// archetypes, each once), and only the structure is checked.
    func snapshot(schema: Schema) throws(CFailure) -> Snapshot {
        var archetypes: [Archetype] = []
        for (index, part) in parts.enumerated() {
            var columns: [Column] = []
            for component in part.components {
                for field in component.fields {
                    guard let column = part.columns["\(component.name).\(field.name)"] else {
                        throw .argument("frame of tick \(tick): archetype \(index) has no values for \(component.name).\(field.name)")
                    }
                    columns.append(column)
                }
            }
            archetypes.append(Archetype(components: part.components, entities: part.ids, columns: columns))
        }
        let world = Snapshot(schema: schema, archetypes: archetypes, resources: Resources(tick: tick, worldTime: worldTime))
        do {
            if !parts.isEmpty, parts.allSatisfy(\.idsAsCommitted) { try world.validateStructure() } else { try world.validate() }
        } catch { throw .argument("frame of tick \(tick): \(error)") }
        return world
    }
}
