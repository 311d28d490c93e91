import ArgumentParser
import PackCodec

/// How `pack` and `repack` encode the file they write.
struct EncodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Block codec: none, lz4, zstd (level 3) or zstd:N with N from 1 to 19.", valueName: "codec"))
    var codec: BlockCodec = .zstd(level: 3)

    @Flag(name: .customLong("no-filters"), help: "Store columns without byte-shuffle or delta-varint filters.")
    var noFilters = false

    @Flag(help: "Encrypt every block with AES-256-GCM using the key file.")
    var encrypt = false

    /// The write options, with `key` when encrypting.
    func writeOptions(key: EncryptionKey?) throws -> WriteOptions {
        if encrypt, key == nil {
            throw CommandFailure("--encrypt needs a key: --key-file PATH or TICKSCOPE_KEY_FILE (make one with `tickscope key new PATH`)")
        }
        return WriteOptions(codec: codec, usesFilters: !noFilters, key: encrypt ? key : nil)
    }
}
