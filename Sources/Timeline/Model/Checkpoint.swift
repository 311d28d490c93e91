import PackCodec

/// What a person attaches to a checkpoint: all optional.
public struct CheckpointInfo: Sendable, Hashable {
    /// A short name (`before the bug`).
    public var name: String
    /// Free text.
    public var description: String
    /// Labels to find checkpoints by.
    public var tags: [String]
    /// Any other key/values.
    public var custom: [String: String]

    /// Creates info.
    public init(name: String = "", description: String = "", tags: [String] = [], custom: [String: String] = [:]) {
        self.name = name
        self.description = description
        self.tags = tags
        self.custom = custom
    }
}

/// One saved world in a store: its metadata and where its blocks are.
/// Reading its data goes through the store (``CheckpointStore/snapshot(_:)``).
public struct Checkpoint: Sendable, Hashable {
    /// The checkpoint's id.
    public var id: CheckpointID
    /// The checkpoint it was recorded after, if any (the first of a fork's
    /// branch has the fork point as parent).
    public var parent: CheckpointID?
    /// The branch it belongs to.
    public var branch: String
    /// The world's tick.
    public var tick: UInt64
    /// The world's time in seconds.
    public var worldTime: Double
    /// When it was committed, in milliseconds since 1970 (UTC).
    public var createdAt: Int64
    /// Name, description, tags, custom fields.
    public var info: CheckpointInfo
    /// The world's schema.
    public var schema: Schema
    /// Seed and custom resources (tick and time are above).
    public var seed: UInt64
    /// Custom resources.
    public var customResources: [String: String]
    /// The snapshot's metadata.
    public var metadata: [String: String]
    /// Archetypes and their blocks.
    public var archetypes: [StoredArchetype]

    /// The number of entities.
    public var entityCount: Int { archetypes.reduce(0) { $0 + $1.entityCount } }

    /// Every block reference, ids first within each archetype.
    public var blockRefs: [BlockRef] { archetypes.flatMap { [$0.entities] + $0.columns } }
}

/// An archetype of a stored checkpoint.
public struct StoredArchetype: Sendable, Hashable {
    /// The components, in schema order.
    public var components: [ComponentType]
    /// The number of entities.
    public var entityCount: Int
    /// The entity-id block.
    public var entities: BlockRef
    /// One block per field, in column order.
    public var columns: [BlockRef]
}

/// Where a block is: a data file, an offset and a length, and the SHA-256
/// of the column's raw contents, by which identical columns are stored once;
/// and, for numeric columns (store 1.5), the column's bounds, so a query can
/// pass over a block that cannot match without reading it.
///
/// Two references are equal when they name the same place and contents:
/// the statistics follow from the contents and take no part.
public struct BlockRef: Sendable, Hashable {
    /// SHA-256 of `u8 type ‖ u64 count ‖ raw column bytes`.
    public var contentHash: ContentHash
    /// The data file's number (`data-000001.tsd` is 1).
    public var file: UInt32
    /// The offset of the record's payload in the file.
    public var offset: UInt64
    /// The payload's length.
    public var length: UInt64
    /// The column's minimum, maximum and NaN count (numeric columns with
    /// entities, committed by a 1.5 writer), or `nil`.
    public var statistics: ColumnStatistics?
    /// How many values the block must hold: its archetype's entity count,
    /// as the index record says (`nil` where unknown). A block that decodes
    /// to another length is reported, never handed on.
    public internal(set) var valueCount: Int?

    /// A reference to the block at `offset` of data file `file`.
    public init(contentHash: ContentHash, file: UInt32, offset: UInt64, length: UInt64, statistics: ColumnStatistics? = nil) {
        self.contentHash = contentHash
        self.file = file
        self.offset = offset
        self.length = length
        self.statistics = statistics
    }

    public static func == (lhs: BlockRef, rhs: BlockRef) -> Bool {
        lhs.contentHash == rhs.contentHash && lhs.file == rhs.file && lhs.offset == rhs.offset && lhs.length == rhs.length
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(contentHash)
        hasher.combine(file)
        hasher.combine(offset)
        hasher.combine(length)
    }
}

/// A named line of checkpoints. Every branch but the first starts at a
/// fork point: a checkpoint of another branch.
public struct Branch: Sendable, Hashable {
    /// The branch's name, unique in the store.
    public var name: String
    /// The checkpoint it was forked from, or `nil` for a root branch.
    public var forkedFrom: CheckpointID?
    /// When it was created, in milliseconds since 1970 (UTC).
    public var createdAt: Int64
}
