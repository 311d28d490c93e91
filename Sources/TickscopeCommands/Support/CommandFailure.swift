import ArgumentParser
import PackCodec
import Timeline

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

/// Refuses an output path that names one of a checkpoint store's own files
/// (`export DIR -o DIR/MANIFEST` replaced the store's MANIFEST with a
/// snapshot file): `-` and other paths pass.
func refuseStoreFile(_ output: String) throws {
    guard output != "-", let store = StoreFiles.store(owning: output) else { return }
    throw CommandFailure("\(output) is a file of the checkpoint store \(store), which stays as it is; write the output elsewhere")
}
