import PackCodec

extension CheckpointStore {
    /// The MANIFEST as it is now in the folder (a follower's view).
    func readCurrentManifest() throws(TimelineError) -> StoreManifest {
        guard let folder else { return manifest }
        guard let bytes = try folder.read("MANIFEST", limit: 1 << 24) else { throw .notAStore(path: path) }
        let latest = try StoreManifest.parse(bytes, path: manifestPath)
        try latest.checkShape(path: manifestPath)
        return latest
    }
}
