import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// A store's files as they stand on disk, read without opening the store
/// (no key needed): what `bundle` packs, and copies of them.
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

    /// The checkpoint store whose own file `path` names (its MANIFEST,
    /// `LOCK`, an index, data or side file, or one that recovery set
    /// aside), or `nil`: what a command that writes a file checks first, so
    /// that `export DIR -o DIR/MANIFEST` cannot replace a store's file with
    /// its output. The folder counts as a store when it holds a MANIFEST.
    ///
    /// ```swift
    /// if let store = StoreFiles.store(owning: output) { print("\(output) is a file of the store \(store)") }
    /// ```
    public static func store(owning path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard StoreFileNames.isStoreOwned(name), access(folder + "/MANIFEST", F_OK) == 0 else { return nil }
        return folder
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

    /// Copies the store at `path`, which nothing is writing (a bundled
    /// sample, a recording whose recorder has finished), to a new folder
    /// `output`: the store's own files (the manifest, the index and data
    /// files, the side files such as marks), each synced, in a folder made
    /// beside `output` and renamed to it, so that `output` holds the whole
    /// copy or does not exist. Other files in the folder (a README) are
    /// left out. The copy opens like the original, and writing to it
    /// leaves the original as it was.
    ///
    /// ```swift
    /// try StoreFiles.copy("SampleWorlds/ecosystem", to: "/tmp/eco")
    /// let store = try CheckpointStore.openForWriting("/tmp/eco")
    /// ```
    /// - Throws: ``TimelineError`` naming what could not be read or
    ///   written; ``TimelineError/invalidRequest(_:)`` when `output` exists.
    public static func copy(_ path: String, to output: String) throws(TimelineError) {
        var status = stat()
        guard lstat(output, &status) != 0, errno == ENOENT else { throw .invalidRequest("\(output) exists already; copy a store to a new folder") }
        let source = try SystemStoreFolder(path: path, create: false)
        guard try source.entries().contains(where: { $0.name == "MANIFEST" }) else { throw .notAStore(path: path) }
        let temporary = output + ".tmp-\(getpid())"
        let target = try SystemStoreFolder(path: temporary, create: true)
        func takeBack() {
            for entry in (try? target.entries()) ?? [] where entry.kind == .regularFile { try? target.remove(entry.name) }
            rmdir(temporary)
        }
        do {
            // A folder left by a copy killed with this process id starts again empty.
            for entry in try target.entries() where entry.kind == .regularFile { try target.remove(entry.name) }
            try copyStoreFiles(from: source, to: target)
        } catch {
            takeBack()
            throw error
        }
        guard rename(temporary, output) == 0 else {
            let code = errno
            takeBack()
            throw .file(path: output, .io(operation: "cannot rename the copy to", path: output, errno: code))
        }
        syncDirectory(holding: output)
    }

    /// Copies a store folder's own files, 4 MiB at a time, each synced, then the folder.
    static func copyStoreFiles(from source: any StoreFolder, to target: any StoreFolder) throws(TimelineError) {
        for entry in try source.entries() where entry.kind == .regularFile {
            let name = entry.name
            guard name == "MANIFEST" || StoreFileNames.isRecordFile(name) || CheckpointStore.sideFileNames.contains(name) else { continue }
            let from = try source.open(name, mode: .read)
            let to = try target.open(name, mode: .createNew)
            let size = try from.size()
            var offset: UInt64 = 0
            while offset < size {
                let piece = try from.read(at: offset, count: Int(min(size - offset, 4 << 20)))
                guard !piece.isEmpty else { break }
                try to.write(piece, at: offset)
                offset += UInt64(piece.count)
            }
            try to.sync()
        }
        try target.syncDirectory()
    }
}
