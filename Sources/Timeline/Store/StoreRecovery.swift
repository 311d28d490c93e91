import PackCodec

/// What `tickscope recover` kept and what it could not.
public struct RecoveryReport: Sendable, Equatable {
    /// The generation the recovered store was committed as.
    public var generation: UInt64
    /// The index file the store was rebuilt from.
    public var indexFile: String
    /// Live checkpoints in the recovered store.
    public var kept: [CheckpointID]
    /// What could not be kept, one line each (checkpoints whose blocks do
    /// not decode, records past a torn or corrupt point).
    public var lost: [String]
    /// Files set aside (renamed, never removed): the index tail past the
    /// intact records, and store files the new MANIFEST does not name.
    public var setAside: [String]
}

/// `tickscope recover`: a store made usable again from its intact records
/// (docs/STORE.md, "Recovery"). Its own type, beside ``CheckpointStore``:
/// it works on the folder's files before any store can be opened.
public enum StoreRecovery {
    /// Rebuilds a usable store from its intact records after a lost tail, a
    /// damaged or missing MANIFEST or a rollback, as a new generation.
    ///
    /// Every index file present is read up to its first torn, corrupt or
    /// unopenable record, or the first checkpoint that references bytes no
    /// data file holds; the one that keeps the most checkpoints wins. A new
    /// MANIFEST names it (up to that point) and the data files its
    /// checkpoints reference, at their whole lengths. Nothing is destroyed:
    /// the index tail past the intact records is copied aside, and store
    /// files the new MANIFEST does not name are renamed with the suffix
    /// `.set-aside-GEN` (which no clean-up touches). Then every checkpoint
    /// is decoded, and those that do not decode are deleted by a normal
    /// delete record (their ids stay used). Holds the writer lock.
    /// - Parameter key: the key of an encrypted store. An encrypted store
    ///   made with version 1.2 needs its MANIFEST's store id: when that
    ///   MANIFEST is unreadable, recovery says so.
    public static func recover(_ path: String, key: EncryptionKey? = nil) throws(TimelineError) -> RecoveryReport {
        let folder = try SystemStoreFolder(path: path, create: false)
        return try recover(folder: folder, key: key)
    }

    /// Recovers a copy: the store's files (its MANIFEST, index and data
    /// files, `MARKS` and `CONFIG`; not `LOCK`, temporary or set-aside
    /// files) are copied into `output`, a folder that must not exist or be
    /// empty, and the copy is recovered as ``recover(_:key:)`` would. The
    /// original is only read, under its writer lock so that no commit
    /// lands half-way through the copy.
    ///
    /// ```swift
    /// let report = try StoreRecovery.recover("runs/eco", into: "runs/eco-recovered")
    /// print("kept", report.kept.count, "lost", report.lost)
    /// ```
    public static func recover(_ path: String, into output: String, key: EncryptionKey? = nil) throws(TimelineError) -> RecoveryReport {
        let source = try SystemStoreFolder(path: path, create: false)
        let target = try SystemStoreFolder(path: output, create: true)
        guard try target.entries().isEmpty else {
            throw .invalidRequest("\(output): the folder is not empty; recover into a new or empty folder")
        }
        do {
            let lock = try source.lockWriter()
            defer { withExtendedLifetime(lock) {} }
            try StoreFiles.copyStoreFiles(from: source, to: target)
        } catch {
            // A copy that failed (out of space, say) is taken back; the folder stays, empty.
            for entry in (try? target.entries()) ?? [] where entry.kind == .regularFile { try? target.remove(entry.name) }
            throw error
        }
        return try recover(folder: target, key: key)
    }

    static func recover(folder: any StoreFolder, key: EncryptionKey?) throws(TimelineError) -> RecoveryReport {
        var report = RecoveryReport(generation: 0, indexFile: "", kept: [], lost: [], setAside: [])
        try writeRecoveredManifest(folder: folder, key: key, report: &report)
        // Decode every checkpoint; delete those that do not decode.
        let store = try CheckpointStore.open(folder: folder, writable: true, key: key)
        var broken: [CheckpointID] = []
        for checkpoint in store.checkpoints {
            do { _ = try store.snapshot(checkpoint.id) } catch {
                broken.append(checkpoint.id)
                report.lost.append("\(checkpoint.id): \(error)")
            }
        }
        try store.delete(broken)
        report.generation = store.generation
        report.indexFile = store.index.path
        report.kept = store.checkpoints.map(\.id)
        return report
    }

    /// Chooses the index and its intact run, sets aside what the new
    /// generation does not hold and writes its MANIFEST, holding the writer
    /// lock until then.
    private static func writeRecoveredManifest(folder: any StoreFolder, key: EncryptionKey?, report: inout RecoveryReport) throws(TimelineError) {
        let manifestPath = folder.pathOf("MANIFEST")
        let lock = try folder.lockWriter()
        defer { withExtendedLifetime(lock) {} }
        let oldBytes = try? folder.read("MANIFEST", limit: 1 << 24)
        let old = oldBytes.flatMap { $0 }.flatMap { try? StoreManifest.parse($0, path: manifestPath) }
        if old == nil, oldBytes != nil { report.lost.append("MANIFEST: unreadable; rebuilt from the files") }
        // The key and store id: from the MANIFEST, or from the key alone.
        let keyCheck = old?.keyCheck ?? key?.checkValue
        if let keyCheck {
            guard let key else { throw .keyRequired(path: folder.path) }
            guard key.checkValue == keyCheck else { throw .wrongKey(path: folder.path) }
        }
        // The store id the records are bound to: the MANIFEST's, or the copy in STOREID when the MANIFEST is gone.
        let storeID = old?.storeID ?? (keyCheck == nil || old != nil ? nil : StoreIdentity.read(in: folder))
        let sealer = RecordSealer(key: keyCheck == nil ? nil : key, storeID: storeID ?? [])
        let entries = try folder.entries().filter { $0.kind == .regularFile }
        func number(_ name: String, _ prefix: String, _ suffix: String) -> UInt32? {
            guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            return UInt32(name.dropFirst(prefix.count).dropLast(suffix.count))
        }
        var dataFiles: [UInt32: RecordFile] = [:]
        for entry in entries {
            guard let n = number(entry.name, "data-", ".tsd"), n != 0,
                let file = try? RecordFile(folder: folder, name: entry.name, magic: StoreFileNames.dataMagic, number: n, writable: false, create: false, sealer: sealer)
            else { continue }
            dataFiles[n] = file
        }
        // Each index file's intact run, cut before the first checkpoint whose blocks lie outside the data files.
        var best: (number: UInt32, end: UInt64, size: UInt64, checkpoints: Int, records: [IndexRecord], stopped: String?)?
        for entry in entries {
            guard let n = number(entry.name, "index-", ".tsi"), n != 0,
                let file = try? RecordFile(folder: folder, name: entry.name, magic: StoreFileNames.indexMagic, number: n, writable: false, create: false, sealer: sealer)
            else { continue }
            let (raw, intactEnd) = file.intactRecords(from: UInt64(RecordFile.headerSize))
            var records: [IndexRecord] = []
            var end = UInt64(RecordFile.headerSize)
            var stopped: String? = intactEnd < file.length ? "\(file.path): records from offset \(intactEnd) on are torn or damaged" : nil
            for record in raw {
                guard let parsed = try? IndexRecord.parse(kind: record.kind, payload: record.payload) else {
                    stopped = "\(file.path): the record at offset \(record.start) does not parse"
                    break
                }
                if case .checkpoint(let checkpoint) = parsed,
                    let bad = checkpoint.blockRefs.first(where: { ref in !(dataFiles[ref.file].map { ref.liesWithin($0.length) } ?? false) }) {
                    stopped = "\(checkpoint.id) and what follows it in \(file.path): it references bytes \(bad.offset)+\(bad.length) of data file \(bad.file), which no data file holds"
                    break
                }
                records.append(parsed)
                end = record.end
            }
            let count = records.filter { if case .checkpoint = $0 { true } else { false } }.count
            if best == nil || count > best!.checkpoints || (count == best!.checkpoints && n > best!.number) {
                best = (n, end, file.length, count, records, stopped)
            }
        }
        guard let chosen = best else {
            throw .invalidRequest("\(folder.path): no readable index file (index-NNNNNN.tsi) to recover from")
        }
        if keyCheck != nil, old == nil, chosen.records.isEmpty, chosen.size > UInt64(RecordFile.headerSize) {
            throw .invalidRequest("\(folder.path): the records of this encrypted store are bound to a store id that the MANIFEST held and \(StoreIdentity.fileName) does not (missing, or another store's): nothing can be recovered without it; nothing was changed")
        }
        if let stopped = chosen.stopped { report.lost.append(stopped) }
        // The data files the kept checkpoints reference (at least one, to append to).
        var referenced = Set<UInt32>()
        for case .checkpoint(let checkpoint) in chosen.records { referenced.formUnion(checkpoint.blockRefs.map(\.file)) }
        if referenced.isEmpty, let highest = dataFiles.keys.max() { referenced.insert(highest) }
        guard !referenced.isEmpty else { throw .invalidRequest("\(folder.path): no readable data file (data-NNNNNN.tsd) to recover with") }
        let generation = (old?.generation ?? 0) < UInt64.max - 1 ? (old?.generation ?? 0) + 1 : UInt64.max - 1
        let manifest = StoreManifest(
            generation: generation, index: .init(number: chosen.number, length: chosen.end),
            dataFiles: referenced.sorted().map { .init(number: $0, length: dataFiles[$0]!.length) }, keyCheck: keyCheck, storeID: storeID)
        // Set aside what the new generation does not hold, so no clean-up removes it.
        let indexName = StoreFileNames.index(chosen.number)
        if chosen.end < chosen.size {
            let tail = StoreFileNames.tailSetAside(of: indexName, generation: generation)
            let file = try folder.open(indexName, mode: .read)
            try folder.replace(tail, with: try file.read(at: chosen.end, count: Int(chosen.size - chosen.end)))
            report.setAside.append(tail)
        }
        let named = Set([indexName] + manifest.dataFiles.map { StoreFileNames.data($0.number) })
        for entry in entries where StoreFileNames.isRecordFile(entry.name) && !named.contains(entry.name) {
            let aside = StoreFileNames.setAside(entry.name, generation: generation)
            try folder.rename(entry.name, to: aside)
            report.setAside.append(aside)
        }
        try folder.replace("MANIFEST", with: manifest.bytes)
    }
}
