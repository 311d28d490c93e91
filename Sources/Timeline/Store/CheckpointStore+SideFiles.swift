import PackCodec

/// Side files: small files beside the store's own (the debugger's `MARKS`),
/// outside any generation. In an encrypted store they are encrypted with
/// the store's key, so nothing in the folder is readable without it
/// (docs/STORE.md, "Encrypted stores").
extension CheckpointStore {
    static let sideFileMagic: [UInt8] = Array("TSCPSIDE".utf8)

    /// The largest side file read.
    public static let sideFileLimit = 1 << 20

    /// Reads the side file `name`, decrypted; `nil` when there is none.
    /// - Throws: ``TimelineError`` naming the file when it cannot be read,
    ///   is too large, or (in an encrypted store) fails authentication.
    public func readSideFile(_ name: String) throws(TimelineError) -> [UInt8]? {
        let file = path + "/" + name
        let stored: [UInt8]
        if let regions {
            guard let region = regions[name] else { return nil }
            guard region.length <= UInt64(Self.sideFileLimit) else {
                throw .file(path: file, .sizeLimitExceeded(what: "a side file", declared: region.length, limit: UInt64(Self.sideFileLimit)))
            }
            stored = try RegionStoreFile(region: region, path: file).read(at: 0, count: Int(region.length))
        } else {
            guard let read = try folder!.read(name, limit: Self.sideFileLimit) else { return nil }
            stored = read
        }
        guard let key = sealer.key else { return stored }
        let header = Self.sideFileMagic.count
        guard stored.count >= header + RecordSealer.overhead, Array(stored.prefix(header)) == Self.sideFileMagic else {
            throw .file(path: file, .malformed(offset: 0, reason: "not an encrypted side file, in an encrypted store"))
        }
        let opened = stored.withUnsafeBytes { all in
            RecordSealer.open(UnsafeRawBufferPointer(rebasing: all[header...]), key: key, authenticating: Self.sideFileMagic + Array(name.utf8) + sealer.storeID)
        }
        guard let opened else { throw .recordTampered(path: file, offset: 0) }
        return opened
    }

    /// Changes the side file `name`: reads it (`nil` when there is none),
    /// lets `change` compute the new contents from what is there now, and
    /// replaces it, all under the folder's side-file lock, so that two
    /// sessions changing it at once both keep their change. Needs no writer
    /// lock: the store's own files never refer to side files.
    /// - Returns: the contents written.
    @discardableResult
    public func updateSideFile(_ name: String, _ change: ([UInt8]?) throws(TimelineError) -> [UInt8]) throws(TimelineError) -> [UInt8] {
        guard let folder else { throw .invalidRequest("\(path)/\(name): a bundled store is read-only") }
        return try folder.withSideFileLock { () throws(TimelineError) -> [UInt8] in
            let updated = try change(try readSideFile(name))
            try writeSideFile(name, updated)
            return updated
        }
    }

    /// Replaces the side file `name` atomically (temporary file, sync,
    /// rename), encrypted in an encrypted store. To change part of it, use
    /// ``updateSideFile(_:_:)``, which keeps what other sessions wrote.
    public func writeSideFile(_ name: String, _ bytes: [UInt8]) throws(TimelineError) {
        let file = path + "/" + name
        guard let folder else { throw .invalidRequest("\(file): a bundled store is read-only") }
        var stored = bytes
        if let key = sealer.key {
            stored = Self.sideFileMagic
            do { try RecordSealer.seal(bytes, key: key, authenticating: Self.sideFileMagic + Array(name.utf8) + sealer.storeID, appendingTo: &stored) } catch {
                throw .file(path: file, error)
            }
        }
        try folder.replace(name, with: stored)
    }
}
