import PackCodec

extension CheckpointStore {
    /// A store file, from the folder or from its region.
    static func recordFile(folder: (any StoreFolder)?, path: String, name: String, regions: [String: StoreRegion]?, magic: [UInt8], number: UInt32,
                           writable: Bool, sealer: RecordSealer) throws(TimelineError) -> RecordFile {
        if let folder {
            return try RecordFile(folder: folder, name: name, magic: magic, number: number, writable: writable, create: false, sealer: sealer)
        }
        guard let region = regions?[name] else {
            throw .file(path: path + "/" + name, .io(operation: "missing store file", path: path + "/" + name, errno: 2))
        }
        return try RecordFile(region: region, path: path + "/" + name, magic: magic, number: number, sealer: sealer)
    }

    /// The MANIFEST as it is now in the folder (a follower's view).
    func readCurrentManifest() throws(TimelineError) -> StoreManifest {
        guard let folder else { return manifest }
        guard let bytes = try folder.read("MANIFEST", limit: 1 << 24) else { throw .notAStore(path: path) }
        let latest = try StoreManifest.parse(bytes, path: manifestPath)
        try latest.checkShape(path: manifestPath)
        return latest
    }

    /// Checks that every block a checkpoint references lies inside the
    /// committed bytes of a data file the MANIFEST names, so no reader reads
    /// past a committed length and no writer's clean-up cuts a referenced byte.
    func checkReferences(of checkpoint: Checkpoint) throws(TimelineError) {
        for ref in checkpoint.blockRefs {
            guard let committed = manifest.dataFiles.first(where: { $0.number == ref.file })?.length else {
                throw .manifestContradiction(path: manifestPath, field: "data file list",
                                             reason: "does not name data file \(ref.file), which \(checkpoint.id) references")
            }
            guard ref.liesWithin(committed) else {
                throw .manifestContradiction(path: manifestPath, field: "data file \(ref.file) length",
                                             reason: "is \(committed), but \(checkpoint.id) references bytes \(ref.offset)+\(ref.length)")
            }
        }
    }
}
