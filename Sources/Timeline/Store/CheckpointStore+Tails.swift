extension CheckpointStore {
    /// Before a writer cuts what lies past the committed lengths: when the
    /// index holds complete, valid records there, they may be more than an
    /// interrupted commit's (a MANIFEST rolled back to an earlier
    /// generation, restored from a backup, say), so those bytes of the index
    /// and of every data file are first copied aside, byte for byte, into
    /// `NAME.tail-set-aside-GEN` (which no clean-up touches, and `recover`
    /// can read). A torn record alone, what a crash during an append
    /// leaves, is just cut.
    /// - Returns: the names of the files written.
    func setAsideCompleteTails() throws(TimelineError) -> [String] {
        guard let folder, index.length > manifest.index.length else { return [] }
        let tail = index.intactRecords(from: manifest.index.length)
        guard !tail.records.isEmpty else { return [] }
        var written: [String] = []
        let files = [(StoreFileNames.index(manifest.index.number), index, manifest.index.length)]
            + manifest.dataFiles.compactMap { extent in dataFiles[extent.number].map { (StoreFileNames.data(extent.number), $0, extent.length) } }
        for (name, file, committed) in files where file.length > committed {
            var attempt = 1
            var aside = StoreFileNames.tailSetAside(of: name, generation: manifest.generation)
            while try folder.entries().contains(where: { $0.name == aside }) {
                attempt += 1
                aside = StoreFileNames.tailSetAside(of: name, generation: manifest.generation, attempt: attempt)
            }
            try folder.replace(aside, with: try file.read(at: committed, count: Int(clamping: file.length - committed)))
            written.append(aside)
        }
        return written
    }
}
