import ArgumentParser
import Formats
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

/// Refuses an output that is the command's own input file (`convert a.tscp
/// a.tscp --to pecs --lossy` replaced the snapshot with what the conversion
/// kept of it): these commands write a new file beside what they read.
/// `repack` rewrites a file in place and does not call this.
func refuseOutputOverInput(_ output: String, input: String, command: String) throws {
    guard InputFiles.isSameFile(input, output) else { return }
    throw CommandFailure("\(output) is the input file\(output == input ? "" : " \(input)"); \(command) writes a new file and keeps what it reads, so write the output elsewhere")
}
