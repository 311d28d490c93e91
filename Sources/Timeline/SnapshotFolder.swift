import FoundationEssentials
import PackCodec
#if canImport(Glibc)
import Glibc
#endif

/// A folder of named standalone snapshot files, each with its metadata in a
/// JSON file beside it: `NAME.tscp` and `NAME.meta.json`, the layout of
/// tx2-pack's snapshot store. For keeping a few hand-picked worlds (a
/// reproduction of a bug, a golden state) outside any recording.
public struct SnapshotFolder: Sendable {
    /// What `NAME.meta.json` holds.
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var description: String
        public var tags: [String]
        public var custom: [String: String]
        public var tick: UInt64
        /// World time in seconds; non-finite values are written as strings.
        public var worldTime: Double
        /// Milliseconds since 1970 (UTC).
        public var createdAt: Int64
        public var entityCount: Int
        /// The snapshot file's size in bytes.
        public var bytes: Int

        enum CodingKeys: String, CodingKey {
            case name, description, tags, custom, tick, bytes
            case worldTime = "world_time", createdAt = "created_ms", entityCount = "entities"
        }
    }

    /// The folder.
    public let path: String

    /// Opens (creating when missing) a snapshot folder.
    public init(path: String) throws(TimelineError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .invalidRequest("cannot create \(path): \(Self.reason(error))")
        }
        self.path = path
    }

    /// Saves `snapshot` as `name`, replacing an earlier one of that name.
    @discardableResult
    public func save(
        _ snapshot: Snapshot, name: String, info: CheckpointInfo = CheckpointInfo(), options: WriteOptions = WriteOptions()
    ) throws(TimelineError) -> Entry {
        try Self.check(name)
        let summary: WriteSummary
        do { summary = try snapshot.write(to: file(name), options: options) } catch { throw .file(path: file(name), error) }
        let entry = Entry(
            name: name, description: info.description, tags: info.tags, custom: info.custom,
            tick: snapshot.resources.tick, worldTime: snapshot.resources.worldTime, createdAt: CheckpointStore.systemClock(),
            entityCount: snapshot.entityCount, bytes: summary.byteCount)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(entry).write(to: URL(fileURLWithPath: metadataFile(name)), options: .atomic)
        } catch {
            throw .invalidRequest("cannot write \(metadataFile(name)): \(Self.reason(error))")
        }
        return entry
    }

    /// Loads the snapshot saved as `name`.
    public func load(_ name: String, key: EncryptionKey? = nil) throws(TimelineError) -> Snapshot {
        try Self.check(name)
        do { return try SnapshotReader(path: file(name), key: key).readSnapshot() } catch { throw .file(path: file(name), error) }
    }

    /// The metadata of `name`.
    public func entry(_ name: String) throws(TimelineError) -> Entry {
        try Self.check(name)
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try decoder.decode(Entry.self, from: Data(contentsOf: URL(fileURLWithPath: metadataFile(name))))
        } catch {
            throw .invalidRequest("\(metadataFile(name)): \(Self.reason(error))")
        }
    }

    /// Every saved snapshot's metadata, ordered by world time, then creation time.
    public func list() throws(TimelineError) -> [Entry] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .invalidRequest("cannot list \(path): \(Self.reason(error))")
        }
        var entries: [Entry] = []
        for file in names where file.hasSuffix(".meta.json") {
            entries.append(try entry(String(file.dropLast(".meta.json".count))))
        }
        return entries.sorted { ($0.worldTime, $0.createdAt, $0.name) < ($1.worldTime, $1.createdAt, $1.name) }
    }

    /// Deletes the snapshot saved as `name` and its metadata.
    public func delete(_ name: String) throws(TimelineError) {
        try Self.check(name)
        guard FileManager.default.fileExists(atPath: metadataFile(name)) else { throw .unknownCheckpoint(name) }
        try? FileManager.default.removeItem(atPath: file(name))
        try? FileManager.default.removeItem(atPath: metadataFile(name))
    }

    /// What went wrong reading or writing a file or its JSON, in words:
    /// the system's for a file ("No such file or directory"), where in the
    /// JSON for metadata that does not decode.
    private static func reason(_ error: any Error) -> String {
        if let posix = ((error as? CocoaError)?.userInfo["NSUnderlyingError"] as? POSIXError) ?? (error as? POSIXError) {
            return String(cString: strerror(posix.code.rawValue))
        }
        if let decoding = error as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, let context): return "no \"\(key.stringValue)\"" + place(context)
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return context.debugDescription + place(context)
            @unknown default: return "\(decoding)"
            }
        }
        return "\(error)"
    }

    /// ` at tags.2`: where in the JSON a decoding error is, if anywhere.
    private static func place(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "" : " at " + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private func file(_ name: String) -> String { path + "/" + name + ".tscp" }
    private func metadataFile(_ name: String) -> String { path + "/" + name + ".meta.json" }

    /// Names are file names: non-empty, no `/`, not starting with `.`.
    private static func check(_ name: String) throws(TimelineError) {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.contains("\0") else {
            throw .invalidRequest("\"\(name)\" cannot name a snapshot: use a file name without / that does not start with .")
        }
    }
}
