/// The id of a checkpoint in a store: a number the store assigns in
/// commit order, starting at 1, written `c12`.
public struct CheckpointID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The stored number.
    public var rawValue: UInt64

    /// Wraps a stored number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses `c12`; `nil` for anything else (a bare number is a tick,
    /// see ``CheckpointStore/resolve(_:)``).
    public init?(_ text: String) {
        guard text.hasPrefix("c"), let value = UInt64(text.dropFirst()), value > 0 else { return nil }
        rawValue = value
    }

    public static func < (lhs: CheckpointID, rhs: CheckpointID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "c\(rawValue)" }
}
