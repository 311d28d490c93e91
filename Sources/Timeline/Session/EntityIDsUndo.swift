import PackCodec

/// How to turn the shown checkpoint's entity-id list back into the
/// previous checkpoint's where entities left and joined between them the
/// way ``RowRemap`` describes: the kept ids go back to their earlier rows,
/// and the removed ones, kept here, fill the rest. A step back then copies
/// a list instead of decoding one, and memory holds the removed ids, not a
/// second list.
struct EntityIDsUndo {
    /// The previous checkpoint's id block this rebuilds.
    var target: BlockRef
    /// The shown checkpoint's id block it starts from.
    var source: BlockRef
    var remap: RowRemap
    /// The ids of the removed rows, in their order.
    var removedIDs: [EntityID]

    /// The undo from `current` (holding `currentCount` ids) back to
    /// `previous`, whose ids are `previousIDs`.
    init?(from current: BlockRef, to previous: BlockRef, previousIDs: [EntityID], remap: RowRemap, currentCount: Int) {
        guard remap.appended <= currentCount, currentCount - remap.appended + remap.removed.count == previousIDs.count,
            remap.removed.allSatisfy({ Int($0) < previousIDs.count })
        else { return nil }
        target = previous
        source = current
        self.remap = remap
        removedIDs = remap.removed.map { previousIDs[Int($0)] }
    }

    /// The previous id list, rebuilt from `ids` (the source's).
    func apply(to ids: [EntityID]) -> [EntityID]? {
        guard remap.appended <= ids.count else { return nil }
        var rebuilt = ids
        remap.restore(&rebuilt, rowWidth: 1, zero: EntityID(0))
        for (row, id) in zip(remap.removed, removedIDs) { rebuilt[Int(row)] = id }
        return rebuilt
    }
}
