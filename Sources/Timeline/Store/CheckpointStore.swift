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
    public var isWritable: Bool { writer != nil }
    /// Set when opening for writing found a lock left by a process that is gone.
    public var recoveredLock: String? { writer?.lock.recoveredFrom }
    /// Files a writer wrote when it opened, holding complete records it
    /// found past the committed lengths (see docs/STORE.md, "Recovery").
    public var setAside: [String] { writer?.setAside ?? [] }
    /// The writing half of a handle opened for writing; `nil` for a reader.
    private(set) var writer: StoreWriter?

    var manifest: StoreManifest
    var index: RecordFile
    /// The data files, read through ``blocks``.
    var dataFiles: [UInt32: RecordFile] {
        get { blocks.files }
        set { blocks.files = newValue }
    }
    /// The store's folder, through which every file is reached; `nil` for
    /// a bundled store read from regions of a package.
    let folder: (any StoreFolder)?
    /// The checkpoints and branches the index records.
    public internal(set) var catalog = StoreCatalog()
    /// The data files' blocks, decoded and cached.
    let blocks: BlockSource
    /// Seals and opens records: with the key of an encrypted store.
    var sealer: RecordSealer { blocks.sealer }
    /// What a reader opened with ``openIntact(_:key:)`` left out of a
    /// damaged store, one sentence each naming the file; empty when the
    /// store is whole.
    public internal(set) var damage: [String] = []

    /// Whether the store's records are encrypted (docs/STORE.md,
    /// "Encrypted stores"); reading one needs its key.
    public var isEncrypted: Bool { manifest.keyCheck != nil }

    var manifestPath: String { path + "/MANIFEST" }

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

    /// Opens a store for writing. Fails when another writer holds the lock.
    ///
    /// With `create`, a store is made when the folder does not exist or is
    /// empty; a folder that holds anything else but no valid `MANIFEST` is
    /// never initialised (``TimelineError/manifestMissing(path:files:)``).
    /// Without it, a missing store is ``TimelineError/notAStore(path:)``
    /// and nothing is created: what `gc`, `prune` and `fork` use.
    /// - Parameters:
    ///   - key: a new store made with a key is encrypted (every record, and
    ///     the side files such as `MARKS`); an existing encrypted store needs
    ///     its key; for an existing plain store the key is not used.
    ///   - clock: milliseconds since 1970 for creation times; pass a fixed
    ///     clock to make recordings byte-for-byte reproducible.
    public static func openForWriting(
        _ path: String, key: EncryptionKey? = nil, create: Bool = true, clock: @escaping @Sendable () -> Int64 = CheckpointStore.systemClock
    ) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: true, create: create, key: key, clock: clock)
    }

    /// A writer on this store, with this handle's key: how a viewer forks.
    public func openWriter() throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: true, create: false, key: sealer.key, clock: clock, folder: folder)
    }

    /// Opens the store in `folder` (the tests' power-cut folder, or the
    /// system's): every file goes through it.
    static func open(folder: any StoreFolder, writable: Bool, create: Bool = false, key: EncryptionKey? = nil,
                     clock: @escaping @Sendable () -> Int64 = CheckpointStore.systemClock) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: folder.path, writable: writable, create: create, key: key, clock: clock, folder: folder)
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

    /// Opens the store at `path` (or its regions, or through `folder`): what every public opener calls.
    init(path: String, writable: Bool, create: Bool, key: EncryptionKey?,
                 clock: @escaping @Sendable () -> Int64 = CheckpointStore.systemClock,
                 regions: [String: StoreRegion]? = nil, folder: (any StoreFolder)? = nil, readsIntact: Bool = false) throws(TimelineError) {
        self.regions = regions
        self.path = path
        self.clock = clock
        if let folder {
            self.folder = folder
        } else if regions == nil {
            self.folder = try SystemStoreFolder(path: path, create: writable && create)
        } else {
            self.folder = nil
        }
        let manifestPath = path + "/MANIFEST"
        let manifestBytes: [UInt8]?
        var lock: (any StoreWriterLock)?
        if let regions {
            guard let region = regions["MANIFEST"] else { throw .notAStore(path: path) }
            guard region.length <= 1 << 24 else { throw .file(path: manifestPath, .malformed(offset: 0, reason: "a manifest of \(region.length) bytes")) }
            manifestBytes = try RegionStoreFile(region: region, path: manifestPath).read(at: 0, count: Int(region.length))
        } else {
            // The lock comes first: no other writer may change what is read next.
            if writable { lock = try self.folder!.lockWriter() }
            manifestBytes = try self.folder!.read("MANIFEST", limit: 1 << 24)
        }
        guard let manifestBytes else {
            let leftovers = try StoreFileNames.creationLeftovers(in: self.folder!)
            guard writable, create else {
                throw leftovers.storeFiles.isEmpty ? .notAStore(path: path) : .manifestMissing(path: path, files: leftovers.storeFiles)
            }
            guard leftovers.storeFiles.isEmpty else { throw .manifestMissing(path: path, files: leftovers.storeFiles) }
            guard leftovers.others.isEmpty else {
                // No store is here, and none will be: the LOCK taken above goes, so a refused record leaves the folder as it was.
                try? self.folder!.remove("LOCK")
                throw .invalidRequest("\(path): the folder holds other files (\(leftovers.others.prefix(3).joined(separator: ", "))) and no store; record into a new or empty folder")
            }
            // Files of a creation that never committed hold nothing but their headers.
            for name in leftovers.removable { try self.folder!.remove(name) }
            let created = try StoreWriter.create(in: self.folder!, path: path, key: key)
            manifest = created.manifest
            blocks = BlockSource(directory: path, sealer: created.sealer)
            index = created.index
            dataFiles[1] = created.data
            writer = StoreWriter(store: self, lock: lock!)
            return
        }
        manifest = try StoreManifest.parse(manifestBytes, path: manifestPath)
        if let check = manifest.keyCheck {
            guard let key else { throw .keyRequired(path: path) }
            guard key.checkValue == check else { throw .wrongKey(path: path) }
            blocks = BlockSource(directory: path, sealer: RecordSealer(key: key, storeID: manifest.storeID ?? []))
        } else {
            blocks = BlockSource(directory: path, sealer: RecordSealer(key: nil))
        }
        try manifest.checkShape(path: manifestPath)
        index = try RecordFile.open(StoreFileNames.index(manifest.index.number), folder: self.folder, regions: regions, storePath: path,
                                    magic: StoreFileNames.indexMagic, number: manifest.index.number, writable: writable, sealer: blocks.sealer)
        if readsIntact, !writable {
            damage = loadIntact()
            return
        }
        try manifest.check(length: manifest.index.length, of: index, field: "index file \(manifest.index.number) length", path: manifestPath)
        for extent in manifest.dataFiles {
            let file = try RecordFile.open(StoreFileNames.data(extent.number), folder: self.folder, regions: regions, storePath: path,
                                           magic: StoreFileNames.dataMagic, number: extent.number, writable: writable, sealer: sealer)
            try manifest.check(length: extent.length, of: file, field: "data file \(extent.number) length", path: manifestPath)
            dataFiles[extent.number] = file
        }
        if let lock { writer = StoreWriter(store: self, lock: lock) }
        // Every reference must lie inside committed bytes before anything trusts the lengths.
        try apply(index.records(from: UInt64(RecordFile.headerSize), to: manifest.index.length))
        // What an interrupted commit appended was never committed, and (checked above) no committed record refers to it.
        try writer?.settleLeftovers()
    }

    func apply(_ records: [(kind: UInt8, offset: UInt64, payload: [UInt8])]) throws(TimelineError) {
        for record in records {
            let parsed: IndexRecord
            do { parsed = try IndexRecord.parse(kind: record.kind, payload: record.payload) } catch {
                throw .file(path: index.path, .malformed(offset: Int(record.offset), reason: error.description))
            }
            try apply(parsed)
        }
    }

    /// Takes one index record into account: the catalogue's, and a
    /// checkpoint's blocks (checked to lie within the data files first).
    func apply(_ record: IndexRecord) throws(TimelineError) {
        if case .checkpoint(let checkpoint) = record {
            try manifest.checkReferences(of: checkpoint, path: manifestPath)
            writer?.note(checkpoint)
        }
        do { try catalog.apply(record) } catch { throw .file(path: index.path, .malformed(offset: 0, reason: error.reason)) }
    }

    /// Rereads the manifest and picks up checkpoints committed since, so a
    /// reader follows a recording that is being written.
    /// - Returns: whether anything new arrived.
    @discardableResult
    public func refresh() throws(TimelineError) -> Bool {
        // A damaged store's files no longer say what its MANIFEST says: nothing to follow.
        guard regions == nil, damage.isEmpty else { return false }
        let latest = try readCurrentManifest()
        guard latest.generation != manifest.generation else { return false }
        // No background decode may read the data files while they change.
        blocks.ahead.settle()
        if latest.index.number != manifest.index.number {
            // gc compacted the store into new files: start over from them.
            let fresh = try CheckpointStore(path: path, writable: false, create: false, key: sealer.key, clock: clock, folder: folder)
            manifest = fresh.manifest
            index = fresh.index
            dataFiles = fresh.dataFiles
            catalog = fresh.catalog
            return true
        }
        index.reloadLength()
        for file in dataFiles.values { file.reloadLength() }
        let records = try index.records(from: manifest.index.length, to: latest.index.length)
        for extent in latest.dataFiles where dataFiles[extent.number] == nil {
            dataFiles[extent.number] = try RecordFile.open(StoreFileNames.data(extent.number), folder: folder, regions: regions, storePath: path,
                                                           magic: StoreFileNames.dataMagic, number: extent.number, writable: false, sealer: sealer)
        }
        manifest = latest
        try apply(records)
        return true
    }

    /// The live checkpoints, in commit order.
    public var checkpoints: [Checkpoint] { catalog.checkpoints }

    /// The branches, in creation order.
    public var branches: [Branch] { catalog.branches }

    /// The checkpoint with `id`, if it is live.
    public func checkpoint(_ id: CheckpointID) -> Checkpoint? { catalog.checkpoint(id) }

    /// The committed generation: it grows by one with every commit.
    public var generation: UInt64 { manifest.generation }

    /// Decodes a checkpoint's whole world.
    public func snapshot(_ id: CheckpointID) throws(TimelineError) -> Snapshot {
        guard let checkpoint = checkpoint(id) else { throw .unknownCheckpoint(id.description) }
        var archetypes: [Archetype] = []
        for (index, stored) in checkpoint.archetypes.enumerated() {
            // Checked like every read: its length against the archetype's count, its address in an encrypted store.
            let entities = try blocks.entities(stored.entities, label: "entity ids of archetype \(index) of \(id)")
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

    /// The side files a store may have: the debugger's marks, the store's
    /// settings and the copy of an encrypted store's id (docs/STORE.md).
    public static let sideFileNames = StoreFileNames.sideFiles
}
