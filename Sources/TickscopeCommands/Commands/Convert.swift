import Formats
import ArgumentParser
import FoundationEssentials
import Interop
import PackCodec

extension Tickscope {
    /// `tickscope convert IN OUT --to FORMAT`.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a snapshot between formats: native, tx2pack, pecs, tksn, xs, jsonl.",
            discussion: """
                The input's format is told by its content. A conversion that would drop information (TKSN holds only \
                integer Position, Energy, Generation, Momentum and Birth, without entity ids) is refused with the \
                list of what would be lost, unless --lossy is given. docs/FORMATS.md describes each mapping.
                """)

        enum Target: String, ExpressibleByArgument, CaseIterable { case native, tx2pack, pecs, tksn, xs, jsonl }
        enum PECSLayout: String, ExpressibleByArgument, CaseIterable { case crate, adr007 }
        enum TX2Codec: String, ExpressibleByArgument, CaseIterable { case none, zstd, lz4 }

        @Argument(help: "The input file.") var input: String
        @Argument(help: "The output file.") var output: String
        @Option(help: "The output format: native, tx2pack, pecs, tksn, xs (the native file in an XS package) or jsonl.") var to: Target
        @Option(help: "For pecs: the layout, crate (what the PECS crate writes) or adr007.") var pecsLayout: PECSLayout = .crate
        @Option(help: ArgumentHelp("For PECS input: how to decode component bytes into fields.", valueName: "file")) var schema: String?
        @Option(help: "For tx2pack: none, zstd (level 3, the crate's default) or lz4.") var codec: TX2Codec = .zstd
        @Flag(help: "For tx2pack: encrypt with the key from --key-file (tx2-pack's raw 32-byte key).") var encrypt = false
        @Flag(help: "For tx2pack: a MessagePack payload instead of bincode.") var msgpack = false
        @Flag(help: "Convert even when information is dropped.") var lossy = false
        @Flag(help: "For tksn: write the file gzip-compressed, as the Java writer does by default.") var gzip = false
        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            try refuseStoreFile(output)
            try refuseOutputOverInput(output, input: input, command: "convert")
            if to == .jsonl {
                // JSON Lines holds a timeline: anything `open` takes converts, every world of it.
                let timeline = try openTimeline(input, key: keyOptions.loadKey(), schema: schema)
                defer { withExtendedLifetime(timeline) {} }
                let text = try TimelineText.of(timeline, path: input)
                try text.write(to: output, checkpointLines: timeline.isStore || text.checkpoints.count != 1)
                return
            }
            if isDirectory(input), FileManager.default.fileExists(atPath: input + "/MANIFEST") {
                throw CommandFailure("\(input): a checkpoint store; --to \(to.rawValue) writes one world: `tickscope export \(input) --at c12 -o FILE` picks one, --to jsonl writes the main branch")
            }
            let worlds = try WorldSource.worlds(at: input, key: keyOptions.loadKey(), schema: WorldSource.schema(schema))
            guard worlds.count == 1, let world = worlds.first?.world else {
                throw CommandFailure("\(input): holds \(worlds.count) worlds, and --to \(to.rawValue) writes one; --to jsonl writes them all as a timeline")
            }
            let bytes: [UInt8]
            switch to {
            case .native:
                do { bytes = try world.encoded(options: WriteOptions(codec: .zstd(level: 3))) } catch { throw CommandFailure(path: output, error) }
            case .tx2pack:
                let key = encrypt ? try keyOptions.loadKey() : nil
                if encrypt, key == nil { throw CommandFailure("--encrypt needs a key: --key-file FILE") }
                let compression: TX2PackFile.Compression = codec == .none ? .none : codec == .lz4 ? .lz4 : .zstd(level: 3)
                do { bytes = try TX2PackFile(world: world, lossy: lossy).encoded(compression: compression, key: key, messagePack: msgpack) } catch { throw CommandFailure("\(input) to tx2-pack: \(error)") }
            case .pecs:
                do { bytes = try PECSFile(world: world, layout: pecsLayout == .crate ? .crate : .adr007, lossy: lossy).encoded() } catch {
                    throw CommandFailure("\(input) to PECS: \(error)")
                }
            case .tksn:
                do { bytes = try TKSNSnapshot(world: world, lossy: lossy).encoded(gzip: gzip) } catch { throw CommandFailure("\(input) to TKSN: \(error)") }
            case .xs:
                // The native file as the package's one entry, stored (it is compressed already).
                let native: [UInt8]
                do { native = try world.encoded(options: WriteOptions(codec: .zstd(level: 3))) } catch { throw CommandFailure(path: output, error) }
                let name = String(output.split(separator: "/").last ?? "world").replacing(".xs", with: "")
                bytes = XSPackage.encode([(path: "[snapshot]/\(name).tscp", contents: native, compress: false)])
            case .jsonl:
                return // written above, every world
            }
            do { try writeFileAtomically(bytes, to: output) } catch { throw CommandFailure(path: output, error) }
        }
    }
}
