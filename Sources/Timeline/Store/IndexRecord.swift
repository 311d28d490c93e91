import PackCodec

/// One record of the index file (docs/STORE.md, "Index records").
enum IndexRecord: Equatable {
    case checkpoint(Checkpoint)
    case branch(Branch)
    case delete([CheckpointID])
    /// Every id up to this one has been given out (deleted ones included),
    /// so none is given again: what `gc` writes first into a new index,
    /// whose checkpoint records no longer show the deleted ids.
    case idHighWater(CheckpointID)
    /// A branch is gone (1.3): its name is free again. Written in one
    /// commit with the delete record of the branch's own checkpoints.
    case branchDeleted(String)
    /// A branch has a new name (1.4); its checkpoints go with it.
    case branchRenamed(from: String, to: String)

    static let checkpointKind: UInt8 = 1
    static let branchKind: UInt8 = 2
    static let deleteKind: UInt8 = 3
    static let idHighWaterKind: UInt8 = 4
    static let branchDeletedKind: UInt8 = 5
    static let branchRenamedKind: UInt8 = 6
    /// A checkpoint whose numeric block references carry statistics (1.5);
    /// what writers write. Kind 1 is the same without them.
    static let checkpointWithStatisticsKind: UInt8 = 7

    var kind: UInt8 {
        switch self {
        case .checkpoint: Self.checkpointWithStatisticsKind
        case .branch: Self.branchKind
        case .delete: Self.deleteKind
        case .idHighWater: Self.idHighWaterKind
        case .branchDeleted: Self.branchDeletedKind
        case .branchRenamed: Self.branchRenamedKind
        }
    }

    /// The record's payload, as writers write it: a checkpoint as kind 7,
    /// with its blocks' statistics.
    var payload: [UInt8] { payload(withStatistics: true) }

    /// The payload; a checkpoint without statistics is a kind 1 record
    /// (what a 1.4 writer made).
    func payload(withStatistics: Bool) -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .checkpoint(let c):
            writer.writeInteger(c.id.rawValue)
            writer.writeInteger(c.parent?.rawValue ?? 0)
            writer.writeString(c.branch)
            writer.writeInteger(c.tick)
            writer.writeInteger(c.worldTime.bitPattern)
            writer.writeInteger(c.createdAt)
            writer.writeString(c.info.name)
            writer.writeString(c.info.description)
            writer.writeInteger(UInt32(c.info.tags.count))
            for tag in c.info.tags { writer.writeString(tag) }
            StringPairs.write(c.info.custom, to: &writer)
            c.schema.write(to: &writer)
            writer.writeInteger(c.seed)
            StringPairs.write(c.customResources, to: &writer)
            StringPairs.write(c.metadata, to: &writer)
            writer.writeInteger(UInt32(c.archetypes.count))
            for archetype in c.archetypes {
                writer.writeInteger(UInt32(archetype.components.count))
                for component in archetype.components { writer.writeInteger(UInt32(c.schema.componentIndex(named: component.name)!)) }
                writer.writeInteger(UInt64(archetype.entityCount))
                for ref in [archetype.entities] + archetype.columns {
                    writer.writeBytes(ref.contentHash.bytes)
                    writer.writeInteger(ref.file)
                    writer.writeInteger(ref.offset)
                    writer.writeInteger(ref.length)
                    guard withStatistics else { continue }
                    writer.writeInteger(UInt8(ref.statistics == nil ? 0 : 1))
                    ref.statistics?.write(to: &writer)
                }
            }
        case .branch(let b):
            writer.writeString(b.name)
            writer.writeInteger(b.forkedFrom?.rawValue ?? 0)
            writer.writeInteger(b.createdAt)
        case .delete(let ids):
            writer.writeInteger(UInt32(ids.count))
            for id in ids { writer.writeInteger(id.rawValue) }
        case .idHighWater(let id):
            writer.writeInteger(id.rawValue)
        case .branchDeleted(let name):
            writer.writeString(name)
        case .branchRenamed(let from, let to):
            writer.writeString(from)
            writer.writeString(to)
        }
        return writer.bytes
    }

    static func parse(kind: UInt8, payload: [UInt8]) throws(PackError) -> IndexRecord {
        try payload.withBytes { (bytes) throws(PackError) in
            var reader = ByteReader(bytes)
            let record: IndexRecord
            switch kind {
            case checkpointKind: record = .checkpoint(try parseCheckpoint(&reader, withStatistics: false))
            case checkpointWithStatisticsKind: record = .checkpoint(try parseCheckpoint(&reader, withStatistics: true))
            case branchKind:
                let name = try reader.readString()
                let fork = try reader.readInteger(as: UInt64.self)
                record = .branch(Branch(name: name, forkedFrom: fork == 0 ? nil : CheckpointID(rawValue: fork), createdAt: try reader.readInteger()))
            case deleteKind:
                let count = try reader.readInteger(as: UInt32.self)
                guard UInt64(count) * 8 == UInt64(reader.remaining) else { throw .malformed(offset: 0, reason: "delete record length") }
                record = .delete(try (0..<count).map { _ throws(PackError) in CheckpointID(rawValue: try reader.readInteger()) })
            case idHighWaterKind: record = .idHighWater(CheckpointID(rawValue: try reader.readInteger()))
            case branchDeletedKind: record = .branchDeleted(try reader.readString())
            case branchRenamedKind: record = .branchRenamed(from: try reader.readString(), to: try reader.readString())
            default: throw .malformed(offset: 0, reason: "unknown index record kind \(kind)")
            }
            guard reader.isAtEnd else { throw .malformed(offset: reader.offset, reason: "bytes after the record") }
            return record
        }
    }

    private static func parseCheckpoint(_ reader: inout ByteReader, withStatistics: Bool) throws(PackError) -> Checkpoint {
        let id = CheckpointID(rawValue: try reader.readInteger())
        let parent = try reader.readInteger(as: UInt64.self)
        let branch = try reader.readString()
        let tick = try reader.readInteger(as: UInt64.self)
        let time = Double(bitPattern: try reader.readInteger())
        let created = try reader.readInteger(as: Int64.self)
        let name = try reader.readString()
        let description = try reader.readString()
        var tags: [String] = []
        for _ in 0..<(try reader.readInteger(as: UInt32.self)) { tags.append(try reader.readString()) }
        let custom = try StringPairs.read(from: &reader)
        let schema = try Schema.read(from: &reader)
        let seed = try reader.readInteger(as: UInt64.self)
        let customResources = try StringPairs.read(from: &reader)
        let metadata = try StringPairs.read(from: &reader)
        var archetypes: [StoredArchetype] = []
        for _ in 0..<(try reader.readInteger(as: UInt32.self)) {
            var components: [ComponentType] = []
            for _ in 0..<(try reader.readInteger(as: UInt32.self)) {
                let index = Int(try reader.readInteger(as: UInt32.self))
                guard index < schema.components.count else { throw .malformed(offset: reader.offset, reason: "component index \(index)") }
                components.append(schema.components[index])
            }
            let count = try reader.readInteger(as: UInt64.self)
            guard count <= Limits.maxEntitiesPerArchetype else {
                throw .sizeLimitExceeded(what: "an archetype", declared: count, limit: Limits.maxEntitiesPerArchetype)
            }
            func ref(_ type: FieldType) throws(PackError) -> BlockRef {
                var ref = BlockRef(contentHash: ContentHash(bytes: try reader.readBytes(32)), file: try reader.readInteger(),
                                   offset: try reader.readInteger(), length: try reader.readInteger())
                ref.valueCount = Int(count)
                guard withStatistics else { return ref }
                let flagOffset = reader.offset
                switch try reader.readInteger(as: UInt8.self) {
                case 0: break
                case 1: ref.statistics = try ColumnStatistics.read(from: &reader, type: type, count: count)
                case let flag: throw .malformed(offset: flagOffset, reason: "statistics byte is \(flag), not 0 or 1")
                }
                return ref
            }
            let entities = try ref(.uint64)
            var columns: [BlockRef] = []
            for type in components.flatMap({ $0.fields.map(\.type) }) { columns.append(try ref(type)) }
            archetypes.append(StoredArchetype(components: components, entityCount: Int(count), entities: entities, columns: columns))
        }
        return Checkpoint(
            id: id, parent: parent == 0 ? nil : CheckpointID(rawValue: parent), branch: branch, tick: tick, worldTime: time,
            createdAt: created, info: CheckpointInfo(name: name, description: description, tags: tags, custom: custom),
            schema: schema, seed: seed, customResources: customResources, metadata: metadata, archetypes: archetypes)
    }
}
