/// Sizes a file may declare. Anything larger is refused before a byte is
/// allocated, so a corrupt or hostile header cannot exhaust memory.
public enum Limits {
    /// The largest decoded block: 4 GiB.
    public static let maxBlockLength: UInt64 = 1 << 32
    /// The most entities in one archetype, so that its id column (8 bytes
    /// an entity) fits in one block: 2^29 = 536,870,912.
    public static let maxEntitiesPerArchetype: UInt64 = maxBlockLength / 8
}
