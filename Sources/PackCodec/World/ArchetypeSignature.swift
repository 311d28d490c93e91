/// Which components an archetype has, in schema order: what tells the
/// archetypes of a world apart (no two have the same) and what pairs an
/// archetype with its counterpart in another checkpoint.
///
/// ```swift
/// let animals = ArchetypeSignature(["Position", "Energy", "Health"])
/// world.archetype(animals)?.count      // the animals in this world
/// animals.description                  // "Position+Energy+Health"
/// ```
public struct ArchetypeSignature: Hashable, Sendable, CustomStringConvertible {
    /// The component names, in schema order.
    public let names: [String]

    /// The signature of these component names (in schema order).
    public init(_ names: [String]) { self.names = names }
    /// The signature of these components.
    public init(_ components: [ComponentType]) { names = components.map(\.name) }

    /// `Position+Energy+Health`.
    public var description: String { names.joined(separator: "+") }
}

/// Anything that has an archetype's signature: an archetype of a world, or
/// one stored in a checkpoint.
public protocol HasArchetypeSignature {
    var signature: ArchetypeSignature { get }
}

extension Archetype: HasArchetypeSignature {
    /// Its components' names.
    public var signature: ArchetypeSignature { ArchetypeSignature(components) }
}

extension Collection where Element: HasArchetypeSignature {
    /// The archetype with exactly these components, if there is one.
    public func first(_ signature: ArchetypeSignature) -> Element? { first { $0.signature == signature } }
    /// The position of the archetype with exactly these components.
    public func firstIndex(_ signature: ArchetypeSignature) -> Index? { firstIndex { $0.signature == signature } }
}

extension Snapshot {
    /// The archetype with exactly these components, if the world has one.
    public func archetype(_ signature: ArchetypeSignature) -> Archetype? { archetypes.first(signature) }
    /// The index of the archetype with exactly these components.
    public func archetypeIndex(_ signature: ArchetypeSignature) -> Int? { archetypes.firstIndex(signature) }
}
