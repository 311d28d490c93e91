import ArgumentParser
import PackCodec

/// A failed command: one line for the person, then a non-zero exit.
/// ArgumentParser prints it as `Error: <message>`.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    /// A failure about `path`: `path: what is wrong`.
    init(path: String, _ error: any Error) {
        // An I/O error already names its path.
        switch error as? PackError {
        case .io?, .notARegularFile?: message = "\(error)"
        default: message = "\(path): \(error)"
        }
    }
    var description: String { message }
}
