import ArgumentParser
import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Where the key of an encrypted file comes from. Never a literal on the
/// command line (it would land in shell history and `ps`), never printed.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "A file holding a 32-byte key, made by `tickscope key new` (default: $TICKSCOPE_KEY_FILE).",
            valueName: "path"))
    var keyFile: String?

    /// The key file's path: `--key-file`, else `TICKSCOPE_KEY_FILE`, else none.
    var resolvedPath: String? {
        if let keyFile { return keyFile }
        guard let value = getenv("TICKSCOPE_KEY_FILE") else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }

    /// Loads the key, if a key file is named.
    func loadKey() throws -> EncryptionKey? {
        guard let path = resolvedPath else { return nil }
        do { return try EncryptionKey(contentsOfFile: path) } catch { throw CommandFailure(error.description) }
    }
}
