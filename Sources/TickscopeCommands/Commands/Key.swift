import ArgumentParser
import PackCodec

extension Tickscope {
    /// `tickscope key`: manage encryption keys.
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage AES-256 keys for encrypted snapshot files.",
            subcommands: [New.self])

        /// `tickscope key new FILE`.
        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a new random 32-byte key to a file readable only by you (mode 0600).",
                discussion: "Refuses to overwrite an existing file. The key itself is never printed.")

            @Argument(help: "The key file to create.")
            var file: String

            func run() throws {
                do { try EncryptionKey.random().write(toFile: file) } catch { throw CommandFailure(path: file, error) }
                var output = StandardOutput()
                output.line("wrote a new key to \(file) (mode 0600); keep it safe: without it encrypted files cannot be read")
                output.flush()
            }
        }
    }
}
