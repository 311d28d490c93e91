import PackCodec

extension TKSNSnapshot {
    /// Field names of a vector: `x`, `y`, `z` for up to three dimensions,
    /// else `d0`, `d1`, ...
    public static func axisNames(_ dimensions: Int) -> [String] {
        dimensions <= 3 ? Array(["x", "y", "z"].prefix(dimensions)) : (0..<dimensions).map { "d\($0)" }
    }

    /// As a Tickscope world: one archetype with Position (a field per
    /// dimension), Energy.value, Generation.value, Momentum (cost, then a
    /// field per dimension) and Birth.tick, all `int64`; entity `i` is record
    /// `i`. The header's tick becomes the world's tick (a negative one is
    /// kept in the metadata as `tksn.tick`).
    public var world: Snapshot {
        let axes = Self.axisNames(dimensions)
        let components = [
            ComponentType(name: "Position", fields: axes.map { Field($0, .int64) }),
            ComponentType(name: "Energy", fields: [Field("value", .int64)]),
            ComponentType(name: "Generation", fields: [Field("value", .int64)]),
            ComponentType(name: "Momentum", fields: [Field("cost", .int64)] + axes.map { Field($0, .int64) }),
            ComponentType(name: "Birth", fields: [Field("tick", .int64)]),
        ]
        let columns = (positions + [energy, generation, momentumCost] + momentum + [birth]).map(Column.init)
        let ids = (0..<count).map { EntityID(UInt64($0)) }
        var metadata = ["format": "TKSN", "entity ids": "record index (TKSN stores none)"]
        if tick < 0 { metadata["tksn.tick"] = String(tick) }
        return Snapshot(schema: Schema(components: components), archetypes: count == 0 ? [] : [Archetype(components: components, entities: ids, columns: columns)],
                        resources: Resources(tick: UInt64(max(0, tick))), metadata: metadata)
    }

    /// A TKSN snapshot of `world`. TKSN holds only integer Position,
    /// Energy.value, Generation.value, Momentum (cost and one field per
    /// dimension) and Birth.tick of entities that have all five, in record
    /// order, without ids.
    /// - Parameter lossy: convert anyway when something would be dropped.
    /// - Throws: ``InteropError/lossy(_:)`` listing what would be dropped.
    public init(world: Snapshot, lossy: Bool) throws(InteropError) {
        let needed = ["Position", "Energy", "Generation", "Momentum", "Birth"]
        var dropped: [String] = []
        guard let position = world.schema.components.first(where: { $0.name == "Position" }), !position.fields.isEmpty else {
            throw .lossy(["everything: the world has no Position component to take TKSN's dimensions from"])
        }
        let dimensions = position.fields.count
        let axes = position.fields.map(\.name)
        let wanted = [("Energy", "value"), ("Generation", "value"), ("Momentum", "cost")] + axes.map { ("Momentum", $0) } + [("Birth", "tick")]
        self.init(tick: Int64(clamping: world.resources.tick), dimensions: dimensions, positions: Array(repeating: [], count: dimensions), energy: [],
                  generation: [], momentumCost: [], momentum: Array(repeating: [], count: dimensions), birth: [])
        if let raw = world.metadata["tksn.tick"], let value = Int64(raw) { tick = value }
        var fractional = 0, skipped = 0, renumbered = false, next: UInt64 = 0
        for archetype in world.archetypes {
            let keys = archetype.columnKeys
            let positionColumns = axes.map { keys.firstIndex(of: ColumnKey(component: "Position", field: $0)) }
            let otherColumns = wanted.map { keys.firstIndex(of: ColumnKey(component: $0.0, field: $0.1)) }
            guard !(positionColumns + otherColumns).contains(nil) else { skipped += archetype.count; continue }
            for extra in archetype.components where !needed.contains(extra.name) { dropped.append("component \(extra.name)") }
            func value(_ column: Int, _ row: Int) -> Int64 {
                switch archetype.columns[column].value(at: row) {
                case .int(let v): return v
                case .uint(let v): return Int64(clamping: v)
                case .bool(let v): return v ? 1 : 0
                case .float32(let v): if v.rounded() != v { fractional += 1 }; return v.isFinite ? Int64(clamping: Int64(exactly: v.rounded()) ?? 0) : 0
                case .float64(let v): if v.rounded() != v { fractional += 1 }; return v.isFinite ? Int64(exactly: v.rounded()) ?? 0 : 0
                case .string, .bytes: fractional += 1; return 0
                }
            }
            for row in 0..<archetype.count {
                if archetype.entities[row].rawValue != next { renumbered = true }
                next += 1
                for d in 0..<dimensions { positions[d].append(value(positionColumns[d]!, row)) }
                energy.append(value(otherColumns[0]!, row))
                generation.append(value(otherColumns[1]!, row))
                momentumCost.append(value(otherColumns[2]!, row))
                for d in 0..<dimensions { momentum[d].append(value(otherColumns[3 + d]!, row)) }
                birth.append(value(otherColumns[3 + dimensions]!, row))
            }
        }
        if skipped > 0 { dropped.append("\(skipped) entities without all of \(needed.joined(separator: ", "))") }
        if fractional > 0 { dropped.append("\(fractional) values that are not integers (rounded)") }
        if renumbered { dropped.append("entity ids (TKSN numbers entities by record)") }
        if world.resources.worldTime != 0 || world.resources.seed != 0 || !world.resources.custom.isEmpty { dropped.append("world time, seed and custom resources") }
        let kept = Set(["format", "entity ids", "tksn.tick"])
        if world.metadata.keys.contains(where: { !kept.contains($0) }) { dropped.append("metadata") }
        dropped = Array(Set(dropped)).sorted()
        if !dropped.isEmpty, !lossy { throw .lossy(dropped) }
    }
}
