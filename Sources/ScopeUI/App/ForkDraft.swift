import PackCodec
import Timeline

/// The edits typed for the next fork (`e`), in the order typed, each with
/// how the user typed it: at most one per cell, each value checked against
/// its field's type when it is typed.
struct ForkDraft {
    /// The edits and their typed form (`#265.Health.value=1000`).
    private(set) var entries: [(edit: WorldEdit, text: String)] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    /// The edits, as the fork applies them.
    var edits: [WorldEdit] { entries.map(\.edit) }

    /// The value typed for `entity`'s `key`, if any.
    func value(for entity: EntityID, _ key: ColumnKey) -> String? {
        for (edit, _) in entries.reversed() {
            if case let .set(e, c, f, value) = edit, e == entity, c == key.component, f == key.field { return value }
        }
        return nil
    }

    /// The edits of a table with columns `keys`, by entity and column (the
    /// table view looks up only the cells it draws).
    func cells(of keys: [ColumnKey]) -> [EntityID: [Int: String]] {
        var cells: [EntityID: [Int: String]] = [:]
        for (edit, _) in entries {
            guard case let .set(entity, component, field, value) = edit,
                let column = keys.firstIndex(of: ColumnKey(component: component, field: field)) else { continue }
            cells[entity, default: [:]][column] = value
        }
        return cells
    }

    /// Sets `entity`'s `key` to `text`, replacing an earlier edit of that
    /// cell.
    /// - Throws: the reason `text` is not a value of `type`.
    mutating func set(_ entity: EntityID, _ key: ColumnKey, to text: String, type: FieldType) throws(TimelineError) {
        _ = try FieldValue.parsed(text, as: type)
        entries.removeAll { Self.isEdit($0.edit, of: entity, key) }
        entries.append((.set(entity: entity, component: key.component, field: key.field, value: text), "\(entity).\(key)=\(text)"))
    }

    /// Drops the edit of `cell` if it has one, else the last one made.
    /// - Returns: how the dropped edit was typed; `nil` when there was none.
    mutating func drop(preferring cell: (entity: EntityID, key: ColumnKey)?) -> String? {
        guard !entries.isEmpty else { return nil }
        let index = cell.flatMap { cell in entries.lastIndex { Self.isEdit($0.edit, of: cell.entity, cell.key) } } ?? entries.count - 1
        return entries.remove(at: index).text
    }

    /// Forgets every edit.
    mutating func clear() { entries.removeAll() }

    private static func isEdit(_ edit: WorldEdit, of entity: EntityID, _ key: ColumnKey) -> Bool {
        if case let .set(e, c, f, _) = edit { return e == entity && c == key.component && f == key.field }
        return false
    }
}
