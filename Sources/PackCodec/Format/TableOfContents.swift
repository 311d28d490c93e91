/// What a reader learns from opening a file, without decoding any block:
/// the schema, resources, metadata, and for every archetype its components,
/// entity count and block descriptors (`docs/FORMAT.md`, "Table of contents").
public struct TableOfContents: Sendable, Equatable {
    /// One archetype's entry.
    public struct ArchetypeEntry: Sendable, Equatable {
        /// The archetype's component types, in schema order.
        public var components: [ComponentType]
        /// The number of entities.
        public var entityCount: Int
        /// The entity-id block.
        public var entityBlock: BlockDescriptor
        /// One block per field of each component, in column order.
        public var columnBlocks: [BlockDescriptor]

        /// The component and field of each column block, in order.
        public var columnKeys: [ColumnKey] {
            components.flatMap { component in
                component.fields.map { ColumnKey(component: component.name, field: $0.name) }
            }
        }

        /// The type of each column block, in order.
        public var columnTypes: [FieldType] { components.flatMap { $0.fields.map(\.type) } }
    }

    /// The component types.
    public var schema: Schema
    /// Tick, world time, seed and custom values.
    public var resources: Resources
    /// The file's metadata.
    public var metadata: [String: String]
    /// The archetypes, in file order.
    public var archetypes: [ArchetypeEntry]

    /// Every block in file order: for each archetype, the id block then the
    /// column blocks. A block's position in this list is its block number.
    public var blocks: [BlockDescriptor] {
        archetypes.flatMap { [$0.entityBlock] + $0.columnBlocks }
    }

    /// What a block holds, as a person names it: `entity ids of archetype 0`
    /// or `Position.x of archetype 0`.
    public func label(ofBlock number: Int) -> String {
        var first = 0
        for (index, archetype) in archetypes.enumerated() {
            let count = 1 + archetype.columnBlocks.count
            if number < first + count {
                let local = number - first
                return local == 0
                    ? "entity ids of archetype \(index)"
                    : "\(archetype.columnKeys[local - 1]) of archetype \(index)"
            }
            first += count
        }
        return "block \(number)"
    }

    /// The number of the first block of archetype `index`.
    func firstBlockNumber(ofArchetype index: Int) -> Int {
        archetypes[0..<index].reduce(0) { $0 + 1 + $1.columnBlocks.count }
    }

    func write(to writer: inout ByteWriter, format: SnapshotFormat) {
        schema.write(to: &writer)
        writer.writeInteger(resources.tick)
        writer.writeInteger(resources.worldTime.bitPattern)
        writer.writeInteger(resources.seed)
        StringPairs.write(resources.custom, to: &writer)
        StringPairs.write(metadata, to: &writer)
        writer.writeInteger(UInt32(archetypes.count))
        for archetype in archetypes {
            writer.writeInteger(UInt32(archetype.components.count))
            for component in archetype.components {
                writer.writeInteger(UInt32(schema.componentIndex(named: component.name)!))
            }
            writer.writeInteger(UInt64(archetype.entityCount))
            archetype.entityBlock.write(to: &writer, format: format)
            for block in archetype.columnBlocks { block.write(to: &writer, format: format) }
        }
    }

    /// Parses and validates a table of contents that must fill `reader`.
    /// - Parameter blockArea: the range of the file that blocks may occupy.
    static func read(
        from reader: inout ByteReader, format: SnapshotFormat, blockArea: Range<UInt64>, isEncrypted: Bool
    ) throws(PackError) -> TableOfContents {
        let schema = try Schema.read(from: &reader)
        let components = schema.components
        let componentCount = UInt32(components.count)

        let tick = try reader.readInteger(as: UInt64.self)
        let worldTime = Double(bitPattern: try reader.readInteger(as: UInt64.self))
        let seed = try reader.readInteger(as: UInt64.self)
        let custom = try StringPairs.read(from: &reader)
        let metadata = try StringPairs.read(from: &reader)

        var archetypes: [ArchetypeEntry] = []
        var componentSets = Set<[UInt32]>()
        var totalEntities: UInt64 = 0
        let archetypeCount = try reader.readInteger(as: UInt32.self)
        for index in 0..<archetypeCount {
            let start = reader.offset
            let count = try reader.readInteger(as: UInt32.self)
            var indices: [UInt32] = []
            for _ in 0..<count {
                let position = reader.offset
                let component = try reader.readInteger(as: UInt32.self)
                guard component < componentCount, indices.last.map({ component > $0 }) ?? true else {
                    throw .malformed(offset: position, reason: "archetype \(index) names component \(component), not a schema component in order")
                }
                indices.append(component)
            }
            guard componentSets.insert(indices).inserted else {
                throw .malformed(offset: start, reason: "archetype \(index) repeats another archetype's components")
            }
            let countPosition = reader.offset
            let entityCount = try reader.readInteger(as: UInt64.self)
            guard entityCount <= Limits.maxEntitiesPerArchetype else {
                throw .sizeLimitExceeded(
                    what: "archetype \(index) at offset \(countPosition)", declared: entityCount,
                    limit: Limits.maxEntitiesPerArchetype)
            }
            totalEntities += entityCount
            let archetypeComponents = indices.map { components[Int($0)] }
            let types = archetypeComponents.flatMap { $0.fields.map(\.type) }
            var position = reader.offset
            let entityBlock = try BlockDescriptor.read(from: &reader, format: format, type: .uint64, count: entityCount)
            try entityBlock.validate(
                type: .uint64, count: entityCount, blockArea: blockArea, isEncrypted: isEncrypted, allowsFixedPoint: format.hasFixedPoint, at: position)
            var columnBlocks: [BlockDescriptor] = []
            for type in types {
                position = reader.offset
                let block = try BlockDescriptor.read(from: &reader, format: format, type: type, count: entityCount)
                try block.validate(
                    type: type, count: entityCount, blockArea: blockArea, isEncrypted: isEncrypted, allowsFixedPoint: format.hasFixedPoint, at: position)
                columnBlocks.append(block)
            }
            archetypes.append(ArchetypeEntry(
                components: archetypeComponents, entityCount: Int(entityCount),
                entityBlock: entityBlock, columnBlocks: columnBlocks))
        }
        guard reader.isAtEnd else {
            throw .malformed(offset: reader.offset, reason: "\(reader.remaining) unexpected bytes after the table of contents")
        }
        return TableOfContents(
            schema: schema, resources: Resources(tick: tick, worldTime: worldTime, seed: seed, custom: custom),
            metadata: metadata, archetypes: archetypes)
    }

}

/// Orders strings by their UTF-8 bytes, the order keys are written in.
package func utf8Less(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
