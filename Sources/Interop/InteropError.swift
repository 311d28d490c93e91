import PackCodec

/// What can go wrong reading a foreign format.
public enum InteropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A JSON Lines input is wrong at `line` (1-based).
    case jsonLines(line: Int, reason: String)
    /// The world built from the input breaks the model's rules.
    case world(PackError)
    /// A foreign file's bytes are wrong.
    case malformed(String)
    /// A conversion would drop information; the list says what.
    case lossy([String])
    /// A file could not be read or written.
    case io(PackError)

    public var description: String {
        switch self {
        case let .jsonLines(line, reason): "line \(line): \(reason)"
        case let .world(error): error.description
        case let .malformed(reason): reason
        case let .lossy(dropped): "the conversion would drop " + dropped.joined(separator: "; ") + " (--lossy converts anyway)"
        case let .io(error): error.description
        }
    }
}
