import ArgumentParser
import PackCodec

/// How `pack`, `repack` and `export` encode the file they write.
struct EncodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Block codec: none, lz4, zstd (level 3) or zstd:N with N from 1 to 19.", valueName: "codec"))
    var codec: BlockCodec = .zstd(level: 3)

    @Flag(name: .customLong("no-filters"), help: "Store columns without byte-shuffle or delta-varint filters.")
    var noFilters = false

    @Flag(help: "Encrypt every block with AES-256-GCM using the key file.")
    var encrypt = false

    @Option(name: .customLong("format-version"), help: ArgumentHelp(
        "Snapshot format version: 3 (format 2 with fixed-point float columns), 2 (XXH3-64 checksums, block statistics) or 1, for readers that know only an older format.",
        valueName: "version"))
    var formatVersion: UInt16 = SnapshotFormat.current.rawValue

    func validate() throws {
        guard SnapshotFormat(rawValue: formatVersion) != nil else {
            throw ValidationError("--format-version must be one of \(SnapshotFormat.allCases.map { String($0.rawValue) }.joined(separator: ", "))")
        }
    }

    /// The write options, with `key` when encrypting.
    func writeOptions(key: EncryptionKey?) throws -> WriteOptions {
        if encrypt, key == nil {
            throw CommandFailure("--encrypt needs a key: --key-file PATH or TICKSCOPE_KEY_FILE (make one with `tickscope key new PATH`)")
        }
        return WriteOptions(codec: codec, usesFilters: !noFilters, key: encrypt ? key : nil, format: SnapshotFormat(rawValue: formatVersion) ?? .current)
    }
}
