import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// A store's files as they stand on disk, read without opening the store
/// (no key needed): what `bundle` packs.
public enum StoreFiles {
    /// The committed bytes of a store's files, as `bundle` packs them: the
    /// MANIFEST, the committed part of the index and data files it names,
    /// and the side files (`MARKS`, `CONFIG`) that are regular files. Every file is read through the
    /// store's folder (never through a link), and nothing else in the folder
    /// is read: `skipped` names what was left out (`LOCK` and temporary files
    /// of killed runs are left out without a word). Needs no key: encrypted
    /// records are packed as they are.
    /// - Throws: ``TimelineError`` when the folder is not a store or its
    ///   MANIFEST contradicts its files.
    public static func committed(in path: String) throws(TimelineError) -> (files: [(name: String, contents: [UInt8])], skipped: [String]) {
        let folder = try SystemStoreFolder(path: path, create: false)
        guard let manifestBytes = try folder.read("MANIFEST", limit: 1 << 24) else { throw .notAStore(path: path) }
        let manifest = try StoreManifest.parse(manifestBytes, path: folder.pathOf("MANIFEST"))
        try manifest.checkShape(path: folder.pathOf("MANIFEST"))
        var files: [(name: String, contents: [UInt8])] = [("MANIFEST", manifestBytes)]
        let extents = [(StoreFileNames.index(manifest.index.number), manifest.index.length)]
            + manifest.dataFiles.map { (StoreFileNames.data($0.number), $0.length) }
        for (name, length) in extents {
            let file = try folder.open(name, mode: .read)
            let size = try file.size()
            guard length <= size else {
                throw .manifestContradiction(path: folder.pathOf("MANIFEST"), field: "\(name) length", reason: "is \(length), but the file holds \(size) bytes")
            }
            files.append((name, try file.read(at: 0, count: Int(length))))
        }
        let packed = Set(files.map(\.name))
        var skipped: [String] = []
        for entry in try folder.entries() where !packed.contains(entry.name) && entry.name != "LOCK" {
            if CheckpointStore.sideFileNames.contains(entry.name), entry.kind == .regularFile,
                let contents = try folder.read(entry.name, limit: StoreSideFiles.limit) {
                files.append((entry.name, contents))
            } else if !StoreFileNames.isTemporary(entry.name) {
                skipped.append(entry.name)
            }
        }
        return (files, skipped)
    }

    /// Removes a store that holds nothing (no branch, no checkpoint), and
    /// with `folder` its folder when that leaves it empty: how `import`
    /// takes back a store it created for worlds it then could not commit.
    /// Only the store's own files are removed; anything else keeps the
    /// folder.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` when the store holds
    ///   anything, or what opening it throws.
    public static func removeEmptyStore(at path: String, key: EncryptionKey? = nil, folder removesFolder: Bool) throws(TimelineError) {
        let store = try CheckpointStore.open(path, key: key)
        guard store.checkpoints.isEmpty, store.branches.isEmpty else { throw .invalidRequest("\(path) is not empty; it stays") }
        let folder = try SystemStoreFolder(path: path, create: false)
        // The MANIFEST first: from then on the folder is no store, whatever else is left.
        try folder.remove("MANIFEST")
        let manifest = store.manifest
        for name in [StoreFileNames.index(manifest.index.number)] + manifest.dataFiles.map({ StoreFileNames.data($0.number) }) + [StoreIdentity.fileName, "LOCK"] {
            try? folder.remove(name)
        }
        if removesFolder { rmdir(path) }
    }
}
