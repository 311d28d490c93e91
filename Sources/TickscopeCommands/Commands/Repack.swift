import ArgumentParser
import Formats
import PackCodec

extension Tickscope {
    /// `tickscope repack FILE -o OUT --codec zstd:9`: re-encode a snapshot file.
    struct Repack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a snapshot file with another codec, filters or encryption.",
            discussion: """
                Works one archetype at a time, so memory stays near the size of the largest archetype. \
                An encrypted input is decrypted with the key; the output is encrypted only with --encrypt. \
                -o FILE itself rewrites the file in place (the new file replaces it only once complete), \
                except an encrypted file without --encrypt, which would be left in the clear.
                """)

        @Argument(help: "The snapshot file to read.")
        var file: String

        @Option(name: .shortAndLong, help: "The snapshot file to write.")
        var output: String

        @OptionGroup var encoding: EncodingOptions
        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            try refuseStoreFile(output)
            let key = try keyOptions.loadKey()
            let options = try encoding.writeOptions(key: key)
            let reader: SnapshotReader
            do { reader = try SnapshotReader(path: file, key: key) } catch { throw CommandFailure(path: file, error) }
            let contents = reader.contents
            if reader.header.isEncrypted, options.key == nil, InputFiles.isSameFile(file, output) {
                throw CommandFailure("\(file) is encrypted, and repack without --encrypt writes the data in the clear; over its own file that would leave no encrypted copy (add --encrypt, or write to another file)")
            }
            let writer: SnapshotWriter
            do {
                writer = try SnapshotWriter(
                    path: output, schema: contents.schema, resources: contents.resources, metadata: contents.metadata, options: options)
            } catch { throw CommandFailure(path: output, error) }
            for (index, entry) in contents.archetypes.enumerated() {
                let archetype: Archetype
                do {
                    let columns = try (0..<entry.columnBlocks.count).map { try reader.column(archetype: index, index: $0) }
                    archetype = Archetype(components: entry.components, entities: try reader.entityIDs(archetype: index), columns: columns)
                } catch { throw CommandFailure(path: file, error) }
                do { try writer.append(archetype) } catch { throw CommandFailure(path: output, error) }
            }
            do { try writer.finish() } catch { throw CommandFailure(path: output, error) }
        }
    }
}
