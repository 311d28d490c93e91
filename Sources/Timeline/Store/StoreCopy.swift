import PackCodec

#if canImport(Glibc)
import Glibc
#endif

extension CheckpointStore {
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
    /// try CheckpointStore.copy("SampleWorlds/ecosystem", to: "/tmp/eco")
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
