import PackCodec

extension BlockSource {
    /// Checks every block the checkpoints reference, once each: record
    /// framing and checksum, the block's own CRC-32s (a full block's or id
    /// block's, a delta's rows and values: reads leave them to the
    /// record's checksum), a full
    /// decode, and that the contents still hash to the address they are
    /// stored under; a bridged block's full block and its bridge both
    /// (applied to the column it names, where a checkpoint holds one).
    /// - Returns: one line per problem, naming the data file, the block's
    ///   offset, the archetype and the checkpoint; empty when all is well.
    func problems(in checkpoints: [Checkpoint]) -> [String] {
        var problems: [String] = []
        var checked = Set<ContentHash>()
        var columnsByHash: [ContentHash: BlockRef] = [:]
        for checkpoint in checkpoints {
            for archetype in checkpoint.archetypes { for ref in archetype.columns { columnsByHash[ref.contentHash] = ref } }
        }
        for checkpoint in checkpoints {
            for (a, archetype) in checkpoint.archetypes.enumerated() {
                let types = [FieldType.uint64] + archetype.components.flatMap { $0.fields.map(\.type) }
                for (ref, type) in zip([archetype.entities] + archetype.columns, types) where checked.insert(ref.contentHash).inserted {
                    do throws(TimelineError) {
                        let column: Column
                        if type == .uint64, ref == archetype.entities {
                            try checkBlockChecksums(ref, label: "entity ids")
                            column = Column(try entities(ref, label: "entity ids").map(\.rawValue))
                        } else if let full = try bridgedBlock(ref, columnsByHash: columnsByHash) {
                            column = full
                        } else {
                            try checkBlockChecksums(ref, label: "a column")
                            column = try self.column(ref, label: "a column")
                        }
                        guard column.type == type, ContentHash(of: column) == ref.contentHash else {
                            throw .invalidRequest("contents do not match their address")
                        }
                    } catch {
                        problems.append("\(dataPath(ref.file)): block at offset \(ref.offset) (archetype \(a) of \(checkpoint.id)): \(error)")
                    }
                }
            }
        }
        return problems
    }

    /// The CRC-32s inside a block's record, which decoding it skips.
    private func checkBlockChecksums(_ ref: BlockRef, label: String) throws(TimelineError) {
        guard let file = files[ref.file] else { return }  // decoding it names the missing file
        let (kind, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        do throws(PackError) {
            if kind == 1 {
                try payload.withBytes { (bytes) throws(PackError) in try ColumnBlock(recordBytes: bytes) }.checkChecksum(label: label)
            } else if ColumnDelta.isDelta(kind) {
                try ColumnDelta(payload: payload, kind: kind).checkChecksums()
            }
        } catch {
            throw .file(path: file.path, error)
        }
    }

    /// A bridged block's column, decoded from its full block, once its
    /// record, the CRC-32s inside it (the full block's, the bridge's rows
    /// and values) and its bridge are checked: applied to the column of the
    /// contents it names (where one of the checkpoints holds it), the
    /// bridge gives the same contents (a step across the chain start shows
    /// the one or the other). `nil` when `ref` is no bridged block.
    private func bridgedBlock(_ ref: BlockRef, columnsByHash: [ContentHash: BlockRef]) throws(TimelineError) -> Column? {
        guard try recordKind(of: ref) == BridgedBlock.kind, let file = files[ref.file] else { return nil }
        let (_, payload) = try file.readRecord(payloadAt: ref.offset, length: ref.length)
        let bridged: BridgedBlock, full: Column
        do throws(PackError) {
            (bridged, full) = try payload.withBytes { (bytes) throws(PackError) in
                let bridged = try BridgedBlock(bytes: bytes)
                try bridged.bridge.checkChecksums()
                let block = try ColumnBlock(recordBytes: UnsafeRawBufferPointer(rebasing: bytes[bridged.fullBlock]))
                try block.checkChecksum(label: "a column")
                return (bridged, try block.decodeColumn(verifiedLabel: "a column"))
            }
        } catch {
            throw .file(path: file.path, error)
        }
        guard let baseRef = columnsByHash[bridged.bridge.base.contentHash] else { return full }
        let base = try column(baseRef, label: "a bridge's base")
        let bridgedColumn: Column
        do throws(PackError) {
            bridgedColumn = try bridged.bridge.apply(to: base, rows: try bridged.bridge.changedRows())
        } catch {
            throw .file(path: file.path, error)
        }
        guard ContentHash(of: bridgedColumn) == ref.contentHash else {
            throw .invalidRequest("its bridge from \(baseRef.contentHash) does not give its contents")
        }
        return full
    }
}
