import PackCodec

/// What changed between two checkpoints: entities spawned, despawned and
/// moved between archetypes, and every changed cell with old and new value.
public struct SnapshotDiff: Sendable, Equatable {
    /// One changed cell.
    public struct CellChange: Sendable, Equatable {
        public var entity: EntityID
        public var component: String
        public var field: String
        public var old: FieldValue
        public var new: FieldValue
    }

    /// An entity whose component set changed.
    public struct Move: Sendable, Equatable {
        public var entity: EntityID
        public var from: [String]
        public var to: [String]
    }

    /// Entities in the second checkpoint only, in id order.
    public var spawned: [EntityID] = []
    /// Entities in the first checkpoint only, in id order.
    public var despawned: [EntityID] = []
    /// Entities whose archetype changed, in id order.
    public var moved: [Move] = []
    /// Changed cells of entities present in both, for the fields both
    /// archetypes have; ordered by entity, then component and field order.
    /// Made when read (``CellChanges``).
    public var changed = CellChanges()
    /// Blocks skipped because their content hashes were equal.
    public var blocksSkipped = 0
    /// Blocks decoded to compare.
    public var blocksDecoded = 0

    /// Whether nothing changed.
    public var isEmpty: Bool { spawned.isEmpty && despawned.isEmpty && moved.isEmpty && changed.isEmpty }

    /// Changed cells counted per `Component.field`, in the order the
    /// fields first change.
    public var changedCellsPerField: [(key: String, count: Int)] { changed.countsPerField }

    public static func == (lhs: SnapshotDiff, rhs: SnapshotDiff) -> Bool {
        lhs.spawned == rhs.spawned && lhs.despawned == rhs.despawned && lhs.moved == rhs.moved && lhs.changed == rhs.changed
    }
}
