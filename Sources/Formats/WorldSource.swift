#if canImport(Glibc)
import Glibc
#endif
import Interop
import PackCodec
import SystemPackage
import Timeline

/// Worlds from any file or folder tickscope reads, told apart by content,
/// never by name: native snapshot files, TKSN `.snap` files (raw or gzip) and
/// folders of them.
public enum WorldSource {
    /// What a file holds.
    public enum Format: Equatable, Sendable {
        case native, tksn(gzip: Bool), tx2pack, pecs, jsonLines
    }

    /// A world read from a file, with what a checkpoint records of it.
    public struct Loaded {
        /// The file or entry it came from.
        public var name: String
        /// What a checkpoint of it records (name, tags, custom values).
        public var info: CheckpointInfo
        /// The world.
        public var world: Snapshot
    }

    /// The format of the file at `path`, from its first bytes (of a gzip
    /// file, the first bytes it inflates to).
    public static func format(of path: String) throws -> Format? {
        let head = try prefix(of: path, count: 256)
        return head.starts(with: [0x1F, 0x8B]) ? format(of: try InputFiles.read(path)) : format(of: head)
    }

    /// The first `count` bytes of a file (fewer when it is shorter). Opened
    /// without blocking, so a FIFO given by mistake gives nothing instead of
    /// a hang; reads go through swift-system (retried on EINTR).
    public static func prefix(of path: String, count: Int) throws -> [UInt8] {
        let file: FileDescriptor
        do { file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.nonBlocking, .closeOnExec]) } catch {
            throw FormatError(path: path, PackError.io(operation: "cannot open", path: path, errno: (error as? Errno)?.rawValue ?? EIO))
        }
        defer { try? file.close() }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = (try? bytes.withUnsafeMutableBytes { try file.read(into: $0) }) ?? 0
        return Array(bytes.prefix(got))
    }

    /// The format of a file from its first bytes, or `nil` when it is none tickscope reads.
    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: Array("TSCPSNAP".utf8)) { return .native }
        if TX2PackFile.isTX2Pack(bytes) { return .tx2pack }
        if PECSFile.isPECS(bytes) { return .pecs }
        if TKSNSnapshot.isTKSN(bytes) { return .tksn(gzip: false) }
        // JSON Lines (docs/JSONL.md): a header object naming the format first.
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{"),
            String(decoding: bytes, as: UTF8.self).contains("\"tickscope-jsonl\"") { return .jsonLines }
        if bytes.starts(with: [0x1F, 0x8B]), let inner = try? Zlib.inflate(bytes, wrapper: .gzip, limit: 1 << 30, prefix: 4), TKSNSnapshot.isTKSN(inner) {
            return .tksn(gzip: true)
        }
        return nil
    }

    /// Every world at `path`, in timeline order: one for a file; for a
    /// folder, its tx2-pack snapshots (`ID.tx2pack` beside `ID.meta.json`)
    /// ordered by world time then creation time, or its TKSN files ordered
    /// by their header's tick.
    public static func worlds(at path: String, key: EncryptionKey?, schema: PECSSchema? = nil) throws -> [Loaded] {
        if InputFiles.isDirectory(path) {
            if access(path + "/MANIFEST", F_OK) == 0 {
                throw FormatError("\(path): a checkpoint store; `tickscope export` writes its checkpoints (--at) and timelines (--format jsonl)")
            }
            let names = try InputFiles.entries(of: path)
            let packs = names.filter { $0.hasSuffix(".tx2pack") }
            if !packs.isEmpty { return try tx2packFolder(path, names: packs, key: key) }
            var found: [(loaded: Loaded, tick: Int64)] = []
            for name in names where name.hasSuffix(".snap") {
                let tksn = try readTKSN(InputFiles.read(path + "/" + name), path: path + "/" + name)
                found.append((Loaded(name: name, info: CheckpointInfo(name: name), world: tksn.world), tksn.tick))
            }
            guard !found.isEmpty else { throw FormatError("\(path): not a checkpoint store (no MANIFEST), and no .tx2pack or .snap files") }
            found.sort { ($0.tick, $0.loaded.name) < ($1.tick, $1.loaded.name) }
            return found.map(\.loaded)
        }
        let detected = try format(of: path)
        if detected == .native {
            // Memory-mapped by the reader: never read whole here.
            return [Loaded(name: path, info: CheckpointInfo(name: path), world: try readNative(path, key: key))]
        }
        if detected == nil, let xs = try? XSPackage(path: path), xs.entries.contains(where: { $0.path.hasSuffix(".tscp") }) {
            // An XS package of snapshot files (`convert --to xs`), in entry order.
            var loaded: [Loaded] = []
            for entry in xs.entries where entry.path.hasSuffix(".tscp") {
                do {
                    let world: Snapshot
                    if entry.isCompressed {
                        // Inflated piece by piece into a scratch file and mapped from there, never whole in memory.
                        let scratch = try TemporaryDirectory()
                        try XSBundle.extract(xs, entries: [entry], into: scratch.path, stripping: "")
                        world = try SnapshotReader(path: scratch.path + "/" + entry.path, key: key).readSnapshot()
                    } else {
                        world = try SnapshotReader(bytes: xs.contents(of: entry), key: key).readSnapshot()
                    }
                    loaded.append(Loaded(name: entry.path, info: CheckpointInfo(name: entry.path), world: world))
                } catch { throw FormatError("\(path): \(entry.path): \(error)") }
            }
            return loaded
        }
        let bytes = try InputFiles.read(path)
        switch detected {
        case .native:
            return [Loaded(name: path, info: CheckpointInfo(name: path), world: try readNative(path, key: key))]
        case .tksn:
            return [Loaded(name: path, info: CheckpointInfo(name: path), world: try readTKSN(bytes, path: path).world)]
        case .tx2pack:
            return [Loaded(name: path, info: CheckpointInfo(name: path), world: try readTX2Pack(bytes, path: path, key: key).world())]
        case .pecs:
            do { return [Loaded(name: path, info: CheckpointInfo(name: path), world: try PECSFile.read(bytes).world(schema: schema))] } catch {
                throw FormatError("\(path): \(error)")
            }
        case .jsonLines:
            // One world, or a timeline of them (`export --format jsonl`), with their checkpoint names.
            do {
                return try JSONLines.decodeTimeline(bytes).map { world in
                    Loaded(name: path, info: checkpointInfo(world.checkpoint, file: path), world: world.snapshot)
                }
            } catch { throw FormatError("\(path): \(error)") }
        case nil:
            throw FormatError("\(path): not a format tickscope reads (a Tickscope snapshot, a store folder, tx2-pack, PECS, a TKSN .snap file or folder, or JSON Lines)")
        }
    }

    /// A tx2-pack `SnapshotStore` or `CheckpointManager` folder.
    static func tx2packFolder(_ path: String, names: [String], key: EncryptionKey?) throws -> [Loaded] {
        var found: [(loaded: Loaded, time: Double, created: Int64)] = []
        for name in names {
            let id = String(name.dropLast(".tx2pack".count))
            var world = try readTX2Pack(InputFiles.read(path + "/" + name), path: path + "/" + name, key: key).world()
            var info = CheckpointInfo(name: id)
            var time = 0.0, created: Int64 = 0
            if let bytes = try? InputFiles.read(path + "/" + id + ".meta.json") {
                let meta: TX2PackMetadata
                do { meta = try TX2PackMetadata(json: bytes) } catch { throw FormatError("\(path)/\(id).meta.json: \(error)") }
                var custom = meta.custom
                custom["tx2pack.id"] = id
                info = CheckpointInfo(name: meta.name ?? id, description: meta.description ?? "", tags: meta.tags, custom: custom)
                time = meta.worldTime
                created = meta.createdAt
                world.resources.worldTime = time
                // tx2-pack has no tick; its users record one as a custom field.
                if let tick = meta.custom["tick"].flatMap({ UInt64($0) }) { world.resources.tick = tick }
            }
            found.append((Loaded(name: id, info: info, world: world), time, created))
        }
        found.sort { ($0.time, $0.created, $0.loaded.name) < ($1.time, $1.created, $1.loaded.name) }
        return found.map(\.loaded)
    }

    /// The `--schema` file for PECS component bytes, if given.
    public static func schema(_ path: String?) throws -> PECSSchema? {
        guard let path else { return nil }
        do { return try PECSSchema(text: String(decoding: InputFiles.read(path), as: UTF8.self), file: path) } catch { throw FormatError("\(error)") }
    }

    /// A tx2-pack file's contents, or an error naming `path`.
    public static func readTX2Pack(_ bytes: [UInt8], path: String, key: EncryptionKey?) throws -> TX2PackFile {
        do { return try TX2PackFile.read(bytes, key: key) } catch { throw FormatError("\(path): \(error)") }
    }

    /// A TKSN file's contents, or an error naming `path`.
    public static func readTKSN(_ bytes: [UInt8], path: String) throws -> TKSNSnapshot {
        do { return try TKSNSnapshot.read(bytes) } catch { throw FormatError("\(path): \(error)") }
    }

    /// A native snapshot file's world (memory-mapped), or an error naming `path`.
    public static func readNative(_ path: String, key: EncryptionKey?) throws -> Snapshot {
        do { return try SnapshotReader(path: path, key: key).readSnapshot() } catch { throw FormatError(path: path, error) }
    }

    /// A JSON Lines header's `checkpoint` member as checkpoint info.
    public static func checkpointInfo(_ value: JSONValue?, file: String) -> CheckpointInfo {
        guard let value else { return CheckpointInfo(name: file) }
        func text(_ key: String) -> String { if case .string(let s)? = value[key] { s } else { "" } }
        var tags: [String] = []
        if case .array(let items)? = value["tags"] { tags = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
        var custom: [String: String] = [:]
        if case .object(let members)? = value["custom"] { for (key, item) in members { if case .string(let s) = item { custom[key] = s } } }
        return CheckpointInfo(name: text("name"), description: text("description"), tags: tags, custom: custom)
    }
}
