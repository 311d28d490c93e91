/// The stable identity of an entity across snapshots.
///
/// Diffs and the inspector match entities by id, so a simulation must never
/// reuse an id for a different entity within one recording. An array of
/// `EntityID` has the memory layout of an array of `UInt64`.
public struct EntityID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id as stored in the file: a little-endian `u64`.
    public var rawValue: UInt64

    /// Creates an id from its stored value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an id from its stored value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}
