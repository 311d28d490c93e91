import PackCodec

/// An input that cannot be read: one line naming the file and what is wrong.
public struct FormatError: Error, CustomStringConvertible {
    /// The line a person reads.
    public var message: String
    /// A failure described by `message`.
    public init(_ message: String) { self.message = message }
    /// A failure about `path`: `path: what is wrong` (an I/O error already names its path).
    public init(path: String, _ error: any Error) {
        switch error as? PackError {
        case .io?, .notARegularFile?: message = "\(error)"
        default: message = "\(path): \(error)"
        }
    }
    /// The message.
    public var description: String { message }
}
