import PackCodec

/// What can go wrong reading a foreign format.
public enum InteropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A JSON Lines input is wrong at `line` (1-based).
    case jsonLines(line: Int, reason: String)
    /// The world built from the input breaks the model's rules.
    case world(PackError)

    public var description: String {
        switch self {
        case let .jsonLines(line, reason): "line \(line): \(reason)"
        case let .world(error): error.description
        }
    }
}
