/// What a key does.
public enum Action: String, CaseIterable, Sendable {
    case stepForward = "step-forward", stepBack = "step-back"
    case jumpForward = "jump-forward", jumpBack = "jump-back"
    case start, end
    case rowDown = "row-down", rowUp = "row-up", pageDown = "page-down", pageUp = "page-up"
    case columnRight = "column-right", columnLeft = "column-left"
    case nextArchetype = "next-archetype", previousArchetype = "previous-archetype"
    case toggleDiff = "toggle-diff", nextChange = "next-change"
    case gotoTick = "goto-tick"
    case filter
    case nextBranch = "next-branch"
    case help, quit
}

/// One binding: a key, what it does, and the sentence the help overlay shows.
public struct KeyBinding: Sendable, Equatable {
    public var key: Key
    public var action: Action
    public var description: String

    public init(_ key: Key, _ action: Action, _ description: String) {
        self.key = key
        self.action = action
        self.description = description
    }
}

/// All bindings. The handler and the help overlay both read this list, so
/// they cannot drift apart.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [KeyBinding]

    /// The action bound to `key`, if any.
    public func action(for key: Key) -> Action? { bindings.first { $0.key == key }?.action }

    /// Terminal conventions: arrows and hjkl, PgUp/PgDn, Home/End, ? for help, q to quit.
    public static let standard = KeyMap(bindings: [
        KeyBinding(.character("l"), .stepForward, "next checkpoint"),
        KeyBinding(.character("h"), .stepBack, "previous checkpoint"),
        KeyBinding(.character("L"), .jumpForward, "10 checkpoints forward"),
        KeyBinding(.character("H"), .jumpBack, "10 checkpoints back"),
        KeyBinding(.character("g"), .start, "first checkpoint"),
        KeyBinding(.character("G"), .end, "last checkpoint"),
        KeyBinding(.character(":"), .gotoTick, "go to a tick (type it, Enter)"),
        KeyBinding(.character("b"), .nextBranch, "switch to the next branch"),
        KeyBinding(.down, .rowDown, "next row"),
        KeyBinding(.character("j"), .rowDown, "next row"),
        KeyBinding(.up, .rowUp, "previous row"),
        KeyBinding(.character("k"), .rowUp, "previous row"),
        KeyBinding(.pageDown, .pageDown, "next page of rows"),
        KeyBinding(.pageUp, .pageUp, "previous page of rows"),
        KeyBinding(.right, .columnRight, "next column"),
        KeyBinding(.left, .columnLeft, "previous column"),
        KeyBinding(.tab, .nextArchetype, "next archetype"),
        KeyBinding(.character("a"), .previousArchetype, "previous archetype"),
        KeyBinding(.character("d"), .toggleDiff, "highlight changes since the previous checkpoint"),
        KeyBinding(.character("n"), .nextChange, "next changed row"),
        KeyBinding(.character("/"), .filter, "filter rows, like Health.value < 0 (Enter; empty clears)"),
        KeyBinding(.character("?"), .help, "this help"),
        KeyBinding(.character("q"), .quit, "quit"),
    ])
}
