import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// A recording: many checkpoints on one or more branches, in a directory
/// (docs/STORE.md). Open it for reading (any number of readers, which can
/// follow a live recording with ``refresh()``) or for writing (one writer,
/// which holds `LOCK`).
///
/// A class because it owns open files and, for a writer, the lock.
public final class CheckpointStore {
    /// The store's directory.
    public let path: String
    /// Whether this handle may commit.
    public let isWritable: Bool
    /// Set when opening for writing found a lock left by a process that is gone.
    public private(set) var recoveredLock: String?

    var manifest: StoreManifest
    var index: RecordFile
    var dataFiles: [UInt32: RecordFile] = [:]
    var lock: StoreLock?
    /// Every committed checkpoint, deleted or not, by id.
    var allCheckpoints: [CheckpointID: Checkpoint] = [:]
    var deleted = Set<CheckpointID>()
    var branchTable: [String: Branch] = [:]
    var branchOrder: [String] = []
    /// Every stored block by content hash, for storing identical columns once.
    var blocksByHash: [[UInt8]: BlockRef] = [:]
    var lastID: UInt64 = 0
    /// Recently decoded entity-id lists (diffs and the debugger's steps
    /// reuse them): room for the current and the previous list of a
    /// million entities.
    var entityCache = BlockCache<[EntityID]>(limit: 16 << 20 + 1)
    /// Recently decoded columns: neighbouring checkpoints share delta bases,
    /// so stepping and diffing decode each base once.
    var columnCache = BlockCache<Column>(limit: 64 << 20)
    /// The last world this writer committed, the base for delta blocks.
    var lastCommitted: (id: CheckpointID, snapshot: Snapshot)?
    /// Delta-chain depth of blocks this writer knows (0: a full block).
    var chainDepth: [[UInt8]: Int] = [:]
    /// Seals and opens records: with the key of an encrypted store.
    let sealer: RecordSealer

    /// Whether the store's records are encrypted (docs/STORE.md,
    /// "Encrypted stores"); reading one needs its key.
    public var isEncrypted: Bool { manifest.keyCheck != nil }

    static let dataMagic: [UInt8] = Array("TSCPDATA".utf8)
    static let indexMagic: [UInt8] = Array("TSCPINDX".utf8)

    func indexPath(_ number: UInt32) -> String { path + "/index-" + Self.sixDigits(number) + ".tsi" }
    func dataPath(_ number: UInt32) -> String { path + "/data-" + Self.sixDigits(number) + ".tsd" }
    var manifestPath: String { path + "/MANIFEST" }

    static func sixDigits(_ number: UInt32) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Opens an existing store for reading.
    /// - Parameter key: the key of an encrypted store (ignored for a plain one).
    /// - Throws: ``TimelineError`` naming the file that is missing or
    ///   damaged, or saying that the store needs a key or another key.
    public static func open(_ path: String, key: EncryptionKey? = nil) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: false, create: false, key: key)
    }

    /// Opens a store whose files are regions of other files (a store bundled
    /// in a package, read in place): `regions` maps each file name
    /// (`MANIFEST`, `index-000001.tsi`, ...) to where its bytes are. Read-only;
    /// only the regions a read needs are touched.
    /// - Parameter path: names the store in errors (`eco.xs[timeline]`).
    /// - Parameter key: the key of an encrypted store (ignored for a plain one).
    public static func open(_ path: String, regions: [String: StoreRegion], key: EncryptionKey? = nil) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: false, create: false, key: key, regions: regions)
    }

    /// Opens a store for writing, creating the directory and an empty store
    /// when there is none. Fails when another writer holds the lock.
    /// - Parameters:
    ///   - key: a new store made with a key is encrypted (every record, and
    ///     the side files such as `MARKS`); an existing encrypted store needs
    ///     its key; for an existing plain store the key is not used.
    ///   - clock: milliseconds since 1970 for creation times; pass a fixed
    ///     clock to make recordings byte-for-byte reproducible.
    public static func openForWriting(
        _ path: String, key: EncryptionKey? = nil, clock: @escaping @Sendable () -> Int64 = CheckpointStore.systemClock
    ) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: true, create: true, key: key, clock: clock)
    }

    /// A writer on this store, with this handle's key: how a viewer forks.
    public func openWriter() throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: true, create: true, key: sealer.key, clock: clock)
    }

    /// The system's real-time clock, in milliseconds since 1970 (UTC).
    public static let systemClock: @Sendable () -> Int64 = {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Where creation times come from.
    let clock: @Sendable () -> Int64

    /// The regions of a bundled store's files, or `nil` for a folder.
    let regions: [String: StoreRegion]?

    private init(path: String, writable: Bool, create: Bool, key: EncryptionKey?,
                 clock: @escaping @Sendable () -> Int64 = CheckpointStore.systemClock,
                 regions: [String: StoreRegion]? = nil) throws(TimelineError) {
        self.regions = regions
        self.path = path
        self.clock = clock
        isWritable = writable
        var isNew = false
        if writable {
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw .file(path: path, .io(operation: "cannot create", path: path, errno: errno))
            }
            lock = try StoreLock(directory: path)
            recoveredLock = lock?.recoveredFrom
            isNew = access(path + "/MANIFEST", F_OK) != 0
        }
        if isNew {
            manifest = StoreManifest(generation: 0, index: .init(number: 1, length: UInt64(RecordFile.headerSize)),
                                     dataFiles: [.init(number: 1, length: UInt64(RecordFile.headerSize))], keyCheck: key?.checkValue)
            sealer = RecordSealer(key: key)
            // Leftovers of a creation that never committed are not part of any store.
            unlink(path + "/index-000001.tsi")
            unlink(path + "/data-000001.tsd")
            index = try RecordFile(path: path + "/index-000001.tsi", magic: Self.indexMagic, number: 1, writable: true, create: true, sealer: sealer)
            dataFiles[1] = try RecordFile(path: path + "/data-000001.tsd", magic: Self.dataMagic, number: 1, writable: true, create: true,
                                          sealer: sealer)
            try index.sync()
            try dataFiles[1]!.sync()
            try writeManifest(manifest)
            return
        }
        let manifestPath = path + "/MANIFEST"
        if let regions {
            guard let region = regions["MANIFEST"] else { throw .notAStore(path: path) }
            manifest = try Self.readManifest(region, path: manifestPath)
        } else {
            guard access(manifestPath, F_OK) == 0 else { throw .notAStore(path: path) }
            manifest = try Self.readManifest(manifestPath)
        }
        if let check = manifest.keyCheck {
            guard let key else { throw .keyRequired(path: path) }
            guard key.checkValue == check else { throw .wrongKey(path: path) }
            sealer = RecordSealer(key: key)
        } else {
            sealer = RecordSealer(key: nil)
        }
        index = try Self.recordFile(path: path, name: "index-" + Self.sixDigits(manifest.index.number) + ".tsi", regions: regions,
                                    magic: Self.indexMagic, number: manifest.index.number, writable: writable, sealer: sealer)
        for extent in manifest.dataFiles {
            dataFiles[extent.number] = try Self.recordFile(path: path, name: "data-" + Self.sixDigits(extent.number) + ".tsd", regions: regions,
                                                           magic: Self.dataMagic, number: extent.number, writable: writable, sealer: sealer)
            guard dataFiles[extent.number]!.length >= extent.length else {
                throw .file(path: dataFiles[extent.number]!.path, .truncated(needed: Int(extent.length), available: Int(dataFiles[extent.number]!.length), offset: 0))
            }
        }
        if writable {
            // Drop what an interrupted commit appended: it was never committed.
            try index.truncate(to: manifest.index.length)
            for extent in manifest.dataFiles { try dataFiles[extent.number]!.truncate(to: extent.length) }
            removeUnreferencedFiles()
        }
        try apply(index.records(from: UInt64(RecordFile.headerSize), to: manifest.index.length))
    }

    func apply(_ records: [(kind: UInt8, offset: UInt64, payload: [UInt8])]) throws(TimelineError) {
        for record in records {
            let parsed: IndexRecord
            do { parsed = try IndexRecord.parse(kind: record.kind, payload: record.payload) } catch {
                throw .file(path: index.path, .malformed(offset: Int(record.offset), reason: error.description))
            }
            apply(parsed)
        }
    }

    func apply(_ record: IndexRecord) {
        switch record {
        case .checkpoint(let checkpoint):
            allCheckpoints[checkpoint.id] = checkpoint
            lastID = max(lastID, checkpoint.id.rawValue)
            for ref in checkpoint.blockRefs { blocksByHash[ref.contentHash] = ref }
        case .branch(let branch):
            if branchTable[branch.name] == nil { branchOrder.append(branch.name) }
            branchTable[branch.name] = branch
        case .delete(let ids):
            deleted.formUnion(ids)
        }
    }

    /// Rereads the manifest and picks up checkpoints committed since, so a
    /// reader follows a recording that is being written.
    /// - Returns: whether anything new arrived.
    @discardableResult
    public func refresh() throws(TimelineError) -> Bool {
        guard regions == nil else { return false }
        let latest = try Self.readManifest(manifestPath)
        guard latest.generation != manifest.generation else { return false }
        if latest.index.number != manifest.index.number {
            // gc compacted the store into new files: start over from them.
            let fresh = try CheckpointStore(path: path, writable: false, create: false, key: sealer.key)
            manifest = fresh.manifest
            index = fresh.index
            dataFiles = fresh.dataFiles
            allCheckpoints = fresh.allCheckpoints
            deleted = fresh.deleted
            branchTable = fresh.branchTable
            branchOrder = fresh.branchOrder
            blocksByHash = fresh.blocksByHash
            lastID = fresh.lastID
            return true
        }
        index.reloadLength()
        for file in dataFiles.values { file.reloadLength() }
        let records = try index.records(from: manifest.index.length, to: latest.index.length)
        for extent in latest.dataFiles where dataFiles[extent.number] == nil {
            dataFiles[extent.number] = try RecordFile(path: dataPath(extent.number), magic: Self.dataMagic, number: extent.number, writable: false, create: false,
                                                       sealer: sealer)
        }
        manifest = latest
        try apply(records)
        return true
    }

    /// The live checkpoints, in commit order.
    public var checkpoints: [Checkpoint] {
        allCheckpoints.keys.sorted().filter { !deleted.contains($0) }.map { allCheckpoints[$0]! }
    }

    /// The branches, in creation order.
    public var branches: [Branch] { branchOrder.map { branchTable[$0]! } }

    /// The checkpoint with `id`, if it is live.
    public func checkpoint(_ id: CheckpointID) -> Checkpoint? {
        deleted.contains(id) ? nil : allCheckpoints[id]
    }

    /// The committed generation: it grows by one with every commit.
    public var generation: UInt64 { manifest.generation }

    /// Decodes a checkpoint's whole world.
    public func snapshot(_ id: CheckpointID) throws(TimelineError) -> Snapshot {
        guard let checkpoint = checkpoint(id) else { throw .unknownCheckpoint(id.description) }
        var archetypes: [Archetype] = []
        for (index, stored) in checkpoint.archetypes.enumerated() {
            let entities = try block(stored.entities).decodeEntitiesLabelled("entity ids of archetype \(index) of \(id)", path: dataPath(stored.entities.file))
            var columns: [Column] = []
            for (column, key) in zip(stored.columns, stored.components.flatMap { c in c.fields.map { "\(c.name).\($0.name)" } }) {
                columns.append(try self.column(column, label: "\(key) of archetype \(index) of \(id)"))
            }
            archetypes.append(Archetype(components: stored.components, entities: entities, columns: columns))
        }
        return Snapshot(
            schema: checkpoint.schema, archetypes: archetypes,
            resources: Resources(tick: checkpoint.tick, worldTime: checkpoint.worldTime, seed: checkpoint.seed, custom: checkpoint.customResources),
            metadata: checkpoint.metadata)
    }

    private func removeUnreferencedFiles() {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        let keep = Set([indexPath(manifest.index.number)] + manifest.dataFiles.map { dataPath($0.number) })
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let isStoreFile = (name.hasPrefix("data-") && name.hasSuffix(".tsd")) || (name.hasPrefix("index-") && name.hasSuffix(".tsi"))
                || name.hasPrefix("MANIFEST.tmp")
            if isStoreFile && !keep.contains(path + "/" + name) { unlink(path + "/" + name) }
        }
    }
}

extension ColumnBlock {
    func decodeEntitiesLabelled(_ label: String, path: String) throws(TimelineError) -> [EntityID] {
        do { return try decodeEntities(label: label) } catch { throw .file(path: path, error) }
    }
}
