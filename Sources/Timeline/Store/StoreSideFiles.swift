import PackCodec

/// A store's side files: small files beside its own (the debugger's
/// `MARKS`, the store's `CONFIG`), outside any generation, which no index
/// record refers to. In an encrypted store they are sealed with the store's
/// key, so nothing in the folder is readable without it (docs/STORE.md,
/// "Encrypted stores"). Changing one needs no writer lock; changes made
/// through ``update(_:_:)`` by two sessions at once both stay.
///
/// ```swift
/// let store = try CheckpointStore.open("runs/eco")
/// try store.sideFiles.update("NOTES") { old in (old ?? []) + Array("seen at c80\n".utf8) }
/// let notes = try store.sideFiles.read("NOTES")   // nil when there is none
/// ```
public struct StoreSideFiles {
    /// The store's folder, for the paths errors name.
    let path: String
    /// The folder the files are in (`nil`: a bundled, read-only store).
    let folder: (any StoreFolder)?
    /// A bundled store's files, as regions of its package.
    let regions: [String: StoreRegion]?
    /// Seals and opens them in an encrypted store.
    let sealer: RecordSealer

    static let magic: [UInt8] = Array("TSCPSIDE".utf8)

    /// The largest side file read.
    public static let limit = 1 << 20

    /// Reads the side file `name`, decrypted; `nil` when there is none.
    /// - Throws: ``TimelineError`` naming the file when it cannot be read,
    ///   is too large, or (in an encrypted store) fails authentication.
    public func read(_ name: String) throws(TimelineError) -> [UInt8]? {
        let file = path + "/" + name
        let stored: [UInt8]
        if let regions {
            guard let region = regions[name] else { return nil }
            guard region.length <= UInt64(Self.limit) else {
                throw .file(path: file, .sizeLimitExceeded(what: "a side file", declared: region.length, limit: UInt64(Self.limit)))
            }
            stored = try RegionStoreFile(region: region, path: file).read(at: 0, count: Int(region.length))
        } else {
            guard let read = try folder!.read(name, limit: Self.limit) else { return nil }
            stored = read
        }
        guard let key = sealer.key else { return stored }
        let header = Self.magic.count
        guard stored.count >= header + RecordSealer.overhead, Array(stored.prefix(header)) == Self.magic else {
            throw .file(path: file, .malformed(offset: 0, reason: "not an encrypted side file, in an encrypted store"))
        }
        let opened = stored.withUnsafeBytes { all in
            RecordSealer.open(UnsafeRawBufferPointer(rebasing: all[header...]), key: key, authenticating: additionalData(name))
        }
        guard let opened else { throw .recordTampered(path: file, offset: 0) }
        return opened
    }

    /// Changes the side file `name`: reads it (`nil` when there is none),
    /// lets `change` compute the new contents from what is there now, and
    /// replaces it, all under the folder's side-file lock, so that two
    /// sessions changing it at once both keep their change.
    /// - Returns: the contents written.
    @discardableResult
    public func update(_ name: String, _ change: ([UInt8]?) throws(TimelineError) -> [UInt8]) throws(TimelineError) -> [UInt8] {
        guard let folder else { throw .invalidRequest("\(path)/\(name): a bundled store is read-only") }
        return try folder.withSideFileLock { () throws(TimelineError) -> [UInt8] in
            let updated = try change(try read(name))
            try write(name, updated)
            return updated
        }
    }

    /// Replaces the side file `name` atomically (temporary file, sync,
    /// rename), sealed in an encrypted store. To change part of it, use
    /// ``update(_:_:)``, which keeps what other sessions wrote.
    public func write(_ name: String, _ bytes: [UInt8]) throws(TimelineError) {
        let file = path + "/" + name
        guard let folder else { throw .invalidRequest("\(file): a bundled store is read-only") }
        var stored = bytes
        if let key = sealer.key {
            stored = Self.magic
            do { try RecordSealer.seal(bytes, key: key, authenticating: additionalData(name), appendingTo: &stored) } catch {
                throw .file(path: file, error)
            }
        }
        try folder.replace(name, with: stored)
    }

    /// What a sealed side file is authenticated with: the magic, its name
    /// and the store's id, so it cannot be renamed or moved to another store.
    private func additionalData(_ name: String) -> [UInt8] { Self.magic + Array(name.utf8) + sealer.storeID }
}

extension CheckpointStore {
    /// The store's side files (`MARKS`, `CONFIG`, your own).
    public var sideFiles: StoreSideFiles { StoreSideFiles(path: path, folder: folder, regions: regions, sealer: sealer) }
}
