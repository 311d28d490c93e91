#if canImport(Glibc)
import Glibc
#endif
import Interop
import PackCodec

/// Worlds from any file or folder tickscope reads, told apart by content,
/// never by name: native snapshot files, TKSN `.snap` files (raw or gzip) and
/// folders of them.
enum WorldSource {
    /// What a file holds.
    enum Format: Equatable {
        case native, tksn(gzip: Bool)

        var name: String {
            switch self {
            case .native: "Tickscope snapshot"
            case .tksn(let gzip): gzip ? "TKSN (gzip)" : "TKSN"
            }
        }
    }

    /// The format of the file at `path`, from its first bytes (a gzip file
    /// is looked into).
    static func format(of path: String) throws -> Format? {
        let bytes = try readInput(path)
        return format(of: bytes)
    }

    static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: Array("TSCPSNAP".utf8)) { return .native }
        if TKSNSnapshot.isTKSN(bytes) { return .tksn(gzip: false) }
        if bytes.starts(with: [0x1F, 0x8B]), let inner = try? Zlib.inflate(bytes, wrapper: .gzip, limit: 1 << 30), TKSNSnapshot.isTKSN(inner) {
            return .tksn(gzip: true)
        }
        return nil
    }

    /// Every world at `path`, in timeline order, with a name each: one for a
    /// file, a folder's TKSN files ordered by their header's tick.
    static func worlds(at path: String, key: EncryptionKey?) throws -> [(name: String, world: Snapshot)] {
        if isDirectory(path) {
            var found: [(name: String, tick: Int64, world: Snapshot)] = []
            for name in try files(in: path) where name.hasSuffix(".snap") {
                let tksn = try readTKSN(readInput(path + "/" + name), path: path + "/" + name)
                found.append((name, tksn.tick, tksn.world))
            }
            guard !found.isEmpty else { throw CommandFailure("\(path): not a checkpoint store (no MANIFEST) and no .snap files") }
            found.sort { ($0.tick, $0.name) < ($1.tick, $1.name) }
            return found.map { ($0.name, $0.world) }
        }
        let bytes = try readInput(path)
        switch format(of: bytes) {
        case .native:
            return [(path, try readNative(path, key: key))]
        case .tksn:
            return [(path, try readTKSN(bytes, path: path).world)]
        case nil:
            throw CommandFailure("\(path): not a format tickscope reads (a Tickscope snapshot, a store folder, or a TKSN .snap file or folder)")
        }
    }

    static func readTKSN(_ bytes: [UInt8], path: String) throws -> TKSNSnapshot {
        do { return try TKSNSnapshot.read(bytes) } catch { throw CommandFailure("\(path): \(error)") }
    }

    static func readNative(_ path: String, key: EncryptionKey?) throws -> Snapshot {
        do { return try SnapshotReader(path: path, key: key).readSnapshot() } catch { throw CommandFailure(path: path, error) }
    }

    /// The names in a folder, sorted.
    static func files(in path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw CommandFailure("\(path): cannot read the folder") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
