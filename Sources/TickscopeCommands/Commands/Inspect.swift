import Formats
import ArgumentParser
import Interop
import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

extension Tickscope {
    /// `tickscope inspect FILE`: what a snapshot file holds, without decoding it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a snapshot file's format, schema, archetypes and every block (or a store's summary).",
            discussion: """
                Reads only the table of contents and checks each block's CRC-32; \
                nothing is decompressed or decrypted. Use `verify` for a full check.
                """)

        @Argument(help: "The snapshot file, store or folder: anything `open` takes (the format is told by content).")
        var file: String

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        @OptionGroup var keyOptions: KeyOptions

        func run() throws {
            if isDirectory(file), access(file + "/MANIFEST", F_OK) == 0 { return try inspectStore() }
            if isDirectory(file) { return try inspectFolder() }
            let format = isDirectory(file) ? nil : try WorldSource.format(of: file)
            if !isDirectory(file), format == nil, (try? XSPackage(path: file)) != nil {
                let xs = try XSBundle.open(file)
                let compressed = xs.entries.filter(\.isCompressed).count
                print([
                    ("format", "XS package"), ("layout", xs.version.map { "XSENGINE magic, version \($0)" } ?? "first (no magic)"),
                    ("entries", String(xs.entries.count)), ("compressed", String(compressed)), ("data section", "at \(xs.dataStart)"),
                    ("bundled store", xs.entry("[timeline]/MANIFEST") == nil ? "no" : "yes"),
                ])
                return
            }
            if format == .pecs {
                let pecs: PECSFile
                do { pecs = try PECSFile.read(readInput(file)) } catch { throw CommandFailure("\(file): \(error)") }
                var fields: [(String, String)] = [
                    ("format", pecs.layout == .crate ? "PECS (the crate's layout)" : "PECS (ADR-007 layout)"),
                    ("version", pecs.layout == .crate ? String(pecs.version) : "\(pecs.version).\(pecs.minorVersion)"),
                    ("flags", String(pecs.flags)), ("entities", String(pecs.entities.count)), ("types", String(pecs.types.count)),
                    ("checksum", pecs.layout == .crate ? "CRC-64/WE (checked)" : "checked"),
                ]
                fields += pecs.types.map { ("type \($0.name)", "id \($0.id), version \($0.version)") }
                print(fields)
                return
            }
            if format == .tx2pack {
                let bytes = try readInput(file)
                let file = try WorldSource.readTX2Pack(bytes, path: self.file, key: keyOptions.loadKey())
                let header = file.header
                let codecs = ["none", "zstd", "lz4"]
                let fields: [(String, String)] = [
                    ("format", "tx2-pack"), ("version", String(header.version)), ("payload", header.format == 0 ? "bincode" : "MessagePack"),
                    ("compression", codecs.indices.contains(Int(header.compression)) ? codecs[Int(header.compression)] : String(header.compression)),
                    ("encrypted", header.encrypted ? "yes (AES-256-GCM)" : "no"), ("sha256", header.checksum.hexString + " (checked)"),
                    ("timestamp", String(header.timestamp)), ("entities", String(header.entityCount)), ("components", String(header.componentCount)),
                    ("archetypes", String(header.archetypeCount)), ("data offset", String(header.dataOffset)), ("data size", String(header.dataSize)),
                ] + file.archetypes.map { ("component \($0.component)", counted($0.entities.count, "entity", "entities")) }
                print(fields)
                return
            }
            if case .tksn(let gzip)? = format {
                let tksn = try WorldSource.readTKSN(readInput(file), path: file)
                let fields: [(String, String)] = [
                    ("format", gzip ? "TKSN (gzip)" : "TKSN"), ("version", "1"), ("tick", String(tksn.tick)),
                    ("entities", String(tksn.count)), ("dimensions", String(tksn.dimensions)),
                    ("entity ids", "none stored: numbered by record"),
                ]
                print(fields)
                return
            }
            guard format != nil else {
                // Never the file's bytes: it may be a key.
                throw CommandFailure("\(file): not a format tickscope reads (tried: Tickscope snapshot, tx2-pack, PECS, TKSN, XS)")
            }
            let reader: SnapshotReader
            do { reader = try SnapshotReader(path: file, key: try keyOptions.loadKey()) } catch let error as PackError {
                throw CommandFailure(path: file, error)
            }
            let report = InspectionReport(reader: reader, path: file)
            var output = StandardOutput()
            if json {
                output.line(report.json.text)
            } else {
                for line in report.textLines { output.line(line) }
            }
            output.flush()
        }

        /// Prints a foreign file's header fields as text or JSON.
        /// A store folder: what its MANIFEST says, and with the key (or
        /// for a plain store) its checkpoints and branches.
        private func inspectStore() throws {
            let store: CheckpointStore
            do { store = try openIntact(file, key: keyOptions.loadKey()) } catch TimelineError.keyRequired {
                print([("format", "Tickscope checkpoint store"), ("encrypted", "yes (AES-256-GCM); give --key-file to see the rest")])
                return
            }
            print([
                ("format", "Tickscope checkpoint store"), ("encrypted", store.isEncrypted ? "yes (AES-256-GCM)" : "no"),
                ("generation", String(store.generation)), ("checkpoints", String(store.checkpoints.count)),
                ("branches", store.branches.map(\.name).joined(separator: ", ")), ("bytes", String(store.bytesOnDisk)),
            ])
        }

        /// A tx2-pack `SnapshotStore`/`CheckpointManager` folder or a TKSN
        /// tick series: its worlds in timeline order, each read and checked
        /// by its own format's rules.
        private func inspectFolder() throws {
            let worlds = try WorldSource.worlds(at: file, key: keyOptions.loadKey())
            let isTX2Pack = try InputFiles.entries(of: file).contains { $0.hasSuffix(".tx2pack") }
            var fields: [(String, String)] = [
                ("format", isTX2Pack ? "tx2-pack folder (SnapshotStore or CheckpointManager)" : "TKSN tick series"),
                ("worlds", String(worlds.count)),
            ]
            fields += worlds.map { loaded in
                let world = loaded.world
                let entities = world.archetypes.reduce(0) { $0 + $1.count }
                return ("world \(loaded.name)", "tick \(world.resources.tick), time \(world.resources.worldTime), \(counted(entities, "entity", "entities")) in \(counted(world.archetypes.count, "archetype"))")
            }
            print(fields)
        }

        private func print(_ fields: [(String, String)]) {
            var output = StandardOutput()
            if json {
                output.line(JSONValue.object(fields.map { ($0.0, Int($0.1) != nil ? .number($0.1) : .string($0.1)) }).text)
            } else {
                for (name, value) in fields { output.line("\(name): \(value)") }
            }
            output.flush()
        }
    }
}
