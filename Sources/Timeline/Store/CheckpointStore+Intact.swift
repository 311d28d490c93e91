import PackCodec

extension CheckpointStore {
    /// Opens for reading what is intact of a store that may be damaged: a
    /// file shorter than its MANIFEST says (a lost tail), a torn or corrupt
    /// index record, a missing data file. The checkpoints before the damage,
    /// and every later one whose blocks are all there, are read as usual;
    /// ``damage`` says what was left out. An undamaged store opens exactly
    /// as with ``open(_:key:)``. Nothing is changed on disk (a reader never
    /// writes); `tickscope recover` (``StoreRecovery``) repairs the store.
    ///
    /// ```swift
    /// let store = try CheckpointStore.openIntact("runs/eco")
    /// for problem in store.damage { print("warning:", problem) }
    /// ```
    /// - Throws: what ``open(_:key:)`` throws for a store it cannot read at
    ///   all: no MANIFEST, an unreadable one, no index file, a missing key.
    public static func openIntact(_ path: String, key: EncryptionKey? = nil) throws(TimelineError) -> CheckpointStore {
        try CheckpointStore(path: path, writable: false, create: false, key: key, readsIntact: true)
    }

    /// Reads what is intact of a store opened by ``openIntact(_:key:)``
    /// (``IntactStore``): its MANIFEST cut down to what the files hold, in
    /// memory only, its data files and the catalogue of what is intact.
    /// - Returns: what was left out, one sentence each naming the file.
    func loadIntact() -> [String] {
        let intact = IntactStore.read(index: index, manifest: manifest, manifestPath: manifestPath) { (number) throws(TimelineError) in
            try RecordFile.open(StoreFileNames.data(number), folder: folder, regions: regions, storePath: path,
                                magic: StoreFileNames.dataMagic, number: number, writable: false, sealer: sealer)
        }
        manifest = intact.manifest
        for (number, file) in intact.dataFiles { dataFiles[number] = file }
        catalog = intact.catalog
        return intact.damage
    }
}
