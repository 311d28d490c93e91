import PackCodec

extension StoredArchetype: HasArchetypeSignature {
    /// Its components' names.
    public var signature: ArchetypeSignature { ArchetypeSignature(components) }
}

extension Checkpoint {
    /// The archetype with exactly these components, if the checkpoint has one.
    public func archetype(_ signature: ArchetypeSignature) -> StoredArchetype? { archetypes.first(signature) }
    /// The index of the archetype with exactly these components.
    public func archetypeIndex(_ signature: ArchetypeSignature) -> Int? { archetypes.firstIndex(signature) }
}
