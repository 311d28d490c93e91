import PackCodec
import Timeline

/// The edits waiting for the next fork, as the table and the prompts read
/// them (making, dropping and forking with them is ``EditingController``'s).
extension Debugger {
    /// The value typed for `entity`'s `key` for the next fork, if any.
    func pendingValue(entity: EntityID, key: ColumnKey) -> String? { forkDraft.value(for: entity, key) }

    /// The pending edits of the table shown, by entity and column.
    var pendingCells: [EntityID: [Int: String]] {
        guard let table, !forkDraft.isEmpty else { return [:] }
        return forkDraft.cells(of: table.keys)
    }
}
