import PackCodec

#if canImport(Glibc)
import Glibc
#endif

extension CheckpointStore {
    /// A store file, from the folder or from its region.
    static func recordFile(path: String, name: String, regions: [String: StoreRegion]?, magic: [UInt8], number: UInt32,
                                   writable: Bool, sealer: RecordSealer) throws(TimelineError) -> RecordFile {
        guard let regions else {
            return try RecordFile(path: path + "/" + name, magic: magic, number: number, writable: writable, create: false, sealer: sealer)
        }
        guard let region = regions[name] else {
            throw .file(path: path + "/" + name, .io(operation: "missing store file", path: path + "/" + name, errno: ENOENT))
        }
        return try RecordFile(region: region, path: path + "/" + name, magic: magic, number: number, sealer: sealer)
    }

    /// A bundled store's manifest, read from its region.
    static func readManifest(_ region: StoreRegion, path: String) throws(TimelineError) -> StoreManifest {
        guard region.length <= 1 << 24 else { throw .file(path: path, .malformed(offset: 0, reason: "a manifest of \(region.length) bytes")) }
        let file = FileHandleRegion(region)
        return try StoreManifest.parse(try file.bytes(path: path), path: path)
    }

    static func readManifest(_ path: String) throws(TimelineError) -> StoreManifest {
        let bytes: [UInt8]
        do { bytes = try FileInput.readAll(path: path, limit: 1 << 24) } catch { throw .file(path: path, error) }
        return try StoreManifest.parse(bytes, path: path)
    }
}
