import PackCodec

/// Reading blocks: columns and entity ids decoded from their records
/// (delta blocks applied onto their bases), on all cores where several are
/// wanted, through the handle's ``BlockSource`` and its caches.
extension CheckpointStore {
    /// Decodes one column block, applying delta blocks onto their bases.
    public func column(_ ref: BlockRef, label: String) throws(TimelineError) -> Column {
        try blocks.column(ref, label: label)
    }

    /// Decodes several columns, on all cores: what a table view needs to
    /// show one archetype of one checkpoint.
    /// - Parameter label: names the checkpoint in errors.
    public func columns(_ refs: [BlockRef], label: String) throws(TimelineError) -> [Column] {
        try blocks.columns(refs, label: label)
    }

    /// The entity ids and the columns of an archetype, all decoded at once
    /// on all cores: what the debugger shows of a checkpoint.
    /// - Parameter label: names the checkpoint in errors.
    public func decode(_ archetype: StoredArchetype, label: String) throws(TimelineError) -> (ids: [EntityID], columns: [Column]) {
        try blocks.decode(archetype, label: label)
    }

    /// Decodes one entity-id block.
    public func entities(_ ref: BlockRef, label: String) throws(TimelineError) -> [EntityID] {
        try blocks.entities(ref, label: label)
    }

    /// What reading has cost so far (``ReadStatistics``).
    public var readStatistics: ReadStatistics { blocks.statistics }
}
