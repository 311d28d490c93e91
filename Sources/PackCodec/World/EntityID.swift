/// The stable identity of an entity across snapshots.
///
/// Diffs and the inspector match entities by id, so a simulation must never
/// reuse an id for a different entity within one recording. An array of
/// `EntityID` has the memory layout of an array of `UInt64`.
public struct EntityID: RawRepresentable, Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// The id as stored in the file: a little-endian `u64`.
    public var rawValue: UInt64

    /// Creates an id from its stored value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an id from its stored value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }

    /// An id that appears twice in `lists` (one list per archetype), or nil
    /// when every id is unique: what ``Snapshot/validate()`` checks, for a
    /// caller that has the ids of a world before its columns.
    ///
    /// ```swift
    /// EntityID.firstRepeated(in: [[EntityID(1), EntityID(2)], [EntityID(2)]])   // 2
    /// ```
    ///
    /// - Complexity: O(n) when each list is sorted and the lists' ranges do
    ///   not overlap; O(n) expected with hashing otherwise.
    public static func firstRepeated(in lists: [[EntityID]]) -> EntityID? {
        var ranges: [ClosedRange<EntityID>] = []
        var sortedAndDisjoint = true
        for ids in lists where !ids.isEmpty {
            guard zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else { sortedAndDisjoint = false; break }
            ranges.append(ids.first!...ids.last!)
        }
        if sortedAndDisjoint {
            ranges.sort { $0.lowerBound < $1.lowerBound }
            if zip(ranges, ranges.dropFirst()).allSatisfy({ $0.upperBound < $1.lowerBound }) { return nil }
        }
        var seen = Set<EntityID>(minimumCapacity: lists.reduce(0) { $0 + $1.count })
        for ids in lists {
            for id in ids where !seen.insert(id).inserted { return id }
        }
        return nil
    }
}
