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

    /// Reads what is intact of a store opened by ``openIntact(_:key:)``:
    /// each file up to the shorter of its committed length and what it
    /// holds, the index up to its first torn, corrupt or unreadable record,
    /// and every checkpoint whose blocks all lie in what is left. The
    /// MANIFEST's lengths are cut down to match in memory only, so reads
    /// never reach past what the files hold.
    /// - Returns: what was left out, one sentence each naming the file.
    func loadIntact() -> [String] {
        var damage: [String] = []
        if index.length < manifest.index.length {
            damage.append("\(manifestPath): the MANIFEST's index file \(manifest.index.number) length is \(manifest.index.length), but \(index.path) holds only \(index.length) bytes")
        }
        var extents: [StoreManifest.FileExtent] = []
        for extent in manifest.dataFiles {
            let file: RecordFile
            do {
                file = try Self.recordFile(folder: folder, path: path, name: StoreFileNames.data(extent.number), regions: regions,
                                           magic: StoreFileNames.dataMagic, number: extent.number, writable: false, sealer: sealer)
            } catch {
                damage.append("\(error)")
                continue
            }
            if file.length < extent.length {
                damage.append("\(manifestPath): the MANIFEST's data file \(extent.number) length is \(extent.length), but \(file.path) holds only \(file.length) bytes")
            }
            dataFiles[extent.number] = file
            extents.append(.init(number: extent.number, length: min(extent.length, file.length)))
        }
        manifest.dataFiles = extents
        let indexEnd = min(manifest.index.length, index.length)
        manifest.index.length = indexEnd
        let intact = index.intactRecords(from: UInt64(RecordFile.headerSize), upTo: indexEnd)
        var end = intact.end
        var leftOut: [CheckpointID] = []
        for record in intact.records {
            do throws(TimelineError) {
                let parsed: IndexRecord
                do { parsed = try IndexRecord.parse(kind: record.kind, payload: record.payload) } catch {
                    throw .file(path: index.path, .malformed(offset: Int(clamping: record.start), reason: error.description))
                }
                if case .checkpoint(let checkpoint) = parsed, (try? checkReferences(of: checkpoint)) == nil {
                    // Its blocks are gone, but its id was given out.
                    leftOut.append(checkpoint.id)
                    catalog.noteGivenOut(checkpoint.id)
                    continue
                }
                try apply(parsed)
            } catch {
                damage.append("\(error)")
                end = record.start
                break
            }
        }
        if end < indexEnd {
            damage.append("\(index.path): the records from offset \(end) on are torn or damaged; the checkpoints they held are not shown")
        }
        if !leftOut.isEmpty {
            let names = leftOut.prefix(5).map(\.description).joined(separator: ", ") + (leftOut.count > 5 ? " and \(leftOut.count - 5) more" : "")
            damage.append("\(names): \(leftOut.count == 1 ? "its blocks are" : "their blocks are") past the end of what the data files hold; not shown")
        }
        return damage
    }
}
