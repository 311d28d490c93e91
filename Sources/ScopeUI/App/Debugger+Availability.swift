import Timeline

extension Debugger {
    /// Why `action` can do nothing here and now, in the words the help
    /// overlay shows beside it (`nil`: it can act), as the controller of
    /// its group says. The keys themselves still answer with a message
    /// when pressed.
    public func unavailability(of action: Action) -> String? {
        action.group.controller.unavailability(of: action, in: self)
    }

    /// Whether the cursor is on the timeline's first checkpoint (or it has none).
    var isAtFirstCheckpoint: Bool { cursor.position <= 0 }
    /// Whether the cursor is on the timeline's last checkpoint (or it has none).
    var isAtLastCheckpoint: Bool { cursor.position >= cursor.checkpoints.count - 1 }
    /// Whether the table shows any row.
    var hasRowsShown: Bool { table != nil && shownCount > 0 }
}
