import PackCodec

/// What is intact of a damaged store (``CheckpointStore/openIntact(_:key:)``):
/// each file up to the shorter of its committed length and what it holds,
/// the index up to its first torn, corrupt or unreadable record, and every
/// checkpoint whose blocks all lie in what is left. The MANIFEST's lengths
/// are cut down to match (in memory only), so reads never reach past what
/// the files hold; `damage` says what was left out, one sentence each
/// naming the file.
struct IntactStore {
    /// The MANIFEST, its lengths cut to what the files hold and its data
    /// files to those that open.
    var manifest: StoreManifest
    /// The data files that opened, by number.
    var dataFiles: [UInt32: RecordFile] = [:]
    /// The checkpoints and branches of the intact records.
    var catalog = StoreCatalog()
    /// What was left out.
    var damage: [String] = []

    /// Reads `index` against `manifest` (whose file is `manifestPath`),
    /// opening each data file it names with `open`.
    static func read(index: RecordFile, manifest committed: StoreManifest, manifestPath: String,
                     open: (UInt32) throws(TimelineError) -> RecordFile) -> IntactStore {
        var store = IntactStore(manifest: committed)
        var manifest = committed, damage: [String] = []
        if index.length < manifest.index.length {
            damage.append("\(manifestPath): the MANIFEST's index file \(manifest.index.number) length is \(manifest.index.length), but \(index.path) holds only \(index.length) bytes")
        }
        var extents: [StoreManifest.FileExtent] = []
        for extent in manifest.dataFiles {
            let file: RecordFile
            do { file = try open(extent.number) } catch {
                damage.append("\(error)")
                continue
            }
            if file.length < extent.length {
                damage.append("\(manifestPath): the MANIFEST's data file \(extent.number) length is \(extent.length), but \(file.path) holds only \(file.length) bytes")
            }
            store.dataFiles[extent.number] = file
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
                if case .checkpoint(let checkpoint) = parsed, (try? manifest.checkReferences(of: checkpoint, path: manifestPath)) == nil {
                    // Its blocks are gone, but its id was given out.
                    leftOut.append(checkpoint.id)
                    store.catalog.noteGivenOut(checkpoint.id)
                    continue
                }
                do { try store.catalog.apply(parsed) } catch { throw .file(path: index.path, .malformed(offset: 0, reason: error.reason)) }
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
        store.manifest = manifest
        store.damage = damage
        return store
    }
}
