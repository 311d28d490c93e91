import Dispatch

/// Opens a native snapshot file by its footer and table of contents and
/// decodes blocks on demand: one column of one archetype can be read
/// without touching any other block. Regular files are memory-mapped, so
/// opening costs the same whatever the size of the world.
///
/// A class because it owns the mapping; it never changes after opening, so
/// it can be shared between tasks.
public final class SnapshotReader: Sendable {
    /// The file's header.
    public let header: FileHeader
    /// The file's footer.
    public let footer: FileFooter
    /// Schema, resources, metadata, archetypes and block descriptors.
    public let contents: TableOfContents
    /// The file's size in bytes.
    public var byteCount: Int { file.bytes.count }
    private let file: MappedFile
    private let key: EncryptionKey?

    /// Opens the file at `path`.
    /// - Parameter key: the key of an encrypted file; checked against the
    ///   header's key check and used to authenticate the table of contents.
    /// - Throws: ``PackError`` naming what is wrong and where.
    public convenience init(path: String, key: EncryptionKey? = nil) throws(PackError) {
        try self.init(file: MappedFile(path: path), key: key)
    }

    /// Opens a snapshot held in memory.
    public convenience init(bytes: [UInt8], key: EncryptionKey? = nil) throws(PackError) {
        try self.init(file: MappedFile(copying: bytes), key: key)
    }

    private init(file: MappedFile, key: EncryptionKey?) throws(PackError) {
        self.file = file
        self.key = key
        var reader = ByteReader(file.bytes)
        let header = try FileHeader.read(from: &reader)
        let format = header.format
        let minimum = FileHeader.size + FileFooter.size(format)
        guard file.bytes.count >= minimum else {
            throw .truncated(needed: minimum, available: file.bytes.count, offset: 0)
        }
        let footerStart = file.bytes.count - FileFooter.size(format)
        var footerReader = ByteReader(file.bytes, range: footerStart..<file.bytes.count)
        let footer = try FileFooter.read(from: &footerReader, format: format, isEncrypted: header.isEncrypted)
        guard footer.tableOfContentsOffset >= UInt64(FileHeader.size),
            footer.tableOfContentsOffset <= UInt64(footerStart),
            footer.tableOfContentsLength == UInt64(footerStart) - footer.tableOfContentsOffset
        else {
            throw .malformed(offset: footerStart, reason: "table of contents at \(footer.tableOfContentsOffset)+\(footer.tableOfContentsLength) does not end where the footer starts (\(footerStart))")
        }
        let tableRange = Int(footer.tableOfContentsOffset)..<footerStart
        let tableBytes = UnsafeRawBufferPointer(rebasing: file.bytes[tableRange])
        let checksum = format.checksum(tableBytes)
        guard checksum.value == footer.tableOfContentsChecksum else {
            throw .tableOfContentsChecksumMismatch(
                expected: Checksum(format.checksumAlgorithm, footer.tableOfContentsChecksum), actual: checksum)
        }
        if header.isEncrypted, let key {
            guard key.checkValue == header.keyCheck else { throw .wrongKey }
            let aad = header.bytes + Array(tableBytes)
            let authentic = footer.tableOfContentsSeal.withUnsafeBytes {
                AESGCM.open($0, key: key, authenticating: aad, into: UnsafeMutableRawBufferPointer(start: nil, count: 0))
            }
            guard authentic else { throw .tamperedTableOfContents }
        }
        var tableReader = ByteReader(file.bytes, range: tableRange)
        contents = try TableOfContents.read(
            from: &tableReader, format: format, blockArea: UInt64(FileHeader.size)..<footer.tableOfContentsOffset,
            isEncrypted: header.isEncrypted)
        self.header = header
        self.footer = footer
    }

    /// The entity ids of archetype `archetype`, decoding only its id block.
    /// - Precondition: `archetype` indexes ``TableOfContents/archetypes``.
    /// - Throws: ``PackError`` when the block is corrupt, tampered or needs a key.
    public func entityIDs(archetype: Int) throws(PackError) -> [EntityID] {
        try entityIDs(archetype: archetype, aroundTheCache: false)
    }

    private func entityIDs(archetype: Int, aroundTheCache: Bool) throws(PackError) -> [EntityID] {
        let entry = contents.archetypes[archetype]
        let number = contents.firstBlockNumber(ofArchetype: archetype)
        return try decodeBlock(number, descriptor: entry.entityBlock, type: .uint64, as: EntityID.self, aroundTheCache: aroundTheCache)
    }

    /// Column `index` (in ``TableOfContents/ArchetypeEntry/columnKeys`` order)
    /// of archetype `archetype`, decoding only that block.
    /// - Precondition: both indices are in range (the table of contents says how many there are).
    /// - Throws: ``PackError`` when the block is corrupt, tampered or needs a key.
    /// - Complexity: proportional to the size of that one column.
    public func column(archetype: Int, index: Int) throws(PackError) -> Column {
        try column(archetype: archetype, index: index, aroundTheCache: false)
    }

    private func column(archetype: Int, index: Int, aroundTheCache: Bool) throws(PackError) -> Column {
        let entry = contents.archetypes[archetype]
        let type = entry.columnTypes[index]
        let number = contents.firstBlockNumber(ofArchetype: archetype) + 1 + index
        let descriptor = entry.columnBlocks[index]
        let raw = try decodeBlock(number, descriptor: descriptor, type: type, aroundTheCache: aroundTheCache)
        return try Column(decoding: raw, type: type, count: entry.entityCount, at: Int(descriptor.offset))
    }

    /// The column `component.field` of archetype `archetype`, or `nil` when
    /// the archetype lacks it. Decodes only that block.
    /// - Precondition: `archetype` indexes ``TableOfContents/archetypes``.
    public func column(archetype: Int, component: String, field: String) throws(PackError) -> Column? {
        guard let index = contents.archetypes[archetype].columnKeys.firstIndex(of: ColumnKey(component: component, field: field))
        else { return nil }
        return try column(archetype: archetype, index: index)
    }

    /// Worlds with at least this many raw bytes are read with their large
    /// plain blocks stored around the cache (``BlockDecoder``): a cache
    /// cannot hold them, and a plain copy reads every destination line in
    /// before writing it. A single column, which may stay in the cache for
    /// whoever uses it next, is copied the plain way.
    static let aroundTheCacheThreshold: UInt64 = 16 << 20

    /// Worlds with fewer raw bytes than this decode on one thread.
    static let parallelDecodeThreshold: UInt64 = 256 << 10

    /// Decodes every block into a whole ``Snapshot``. Blocks are
    /// independent, so large worlds are decoded on all cores at once.
    /// - Throws: the ``PackError`` of the first block (in file order) that fails.
    public func readSnapshot() throws(PackError) -> Snapshot {
        // One job per block: (archetype, -1) is the id block, (archetype, n) column n.
        let jobs = contents.archetypes.enumerated().flatMap { index, entry in
            (-1..<entry.columnBlocks.count).map { (archetype: index, column: $0) }
        }
        let totalRawBytes = contents.blocks.reduce(0) { $0 + $1.rawLength }
        // A world larger than the cache cannot stay in it: its large plain blocks are stored around it.
        let aroundTheCache = totalRawBytes >= Self.aroundTheCacheThreshold
        var ids = [[EntityID]?](repeating: nil, count: jobs.count)
        var columns = [Column?](repeating: nil, count: jobs.count)
        var failures = [PackError?](repeating: nil, count: jobs.count)
        ids.withUnsafeMutableBufferPointer { idSlots in
            columns.withUnsafeMutableBufferPointer { columnSlots in
                failures.withUnsafeMutableBufferPointer { failureSlots in
                    // Each job writes only its own slot, so the slots never race.
                    let slots = UncheckedTransfer((idSlots, columnSlots, failureSlots))
                    let decode: @Sendable (Int) -> Void = { number in
                        let (archetype, column) = jobs[number]
                        do throws(PackError) {
                            if column < 0 {
                                slots.value.0[number] = try self.entityIDs(archetype: archetype, aroundTheCache: aroundTheCache)
                            } else {
                                slots.value.1[number] = try self.column(archetype: archetype, index: column, aroundTheCache: aroundTheCache)
                            }
                        } catch {
                            slots.value.2[number] = error
                        }
                    }
                    // Threads pay off only when there is real work to share.
                    if totalRawBytes < Self.parallelDecodeThreshold {
                        for number in jobs.indices { decode(number) }
                    } else {
                        DispatchQueue.concurrentPerform(iterations: jobs.count, execute: decode)
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        var archetypes: [Archetype] = []
        var number = 0
        for entry in contents.archetypes {
            let entities = ids[number]!
            let archetypeColumns = ((number + 1)..<(number + 1 + entry.columnBlocks.count)).map { columns[$0]! }
            archetypes.append(Archetype(components: entry.components, entities: entities, columns: archetypeColumns))
            number += 1 + entry.columnBlocks.count
        }
        return Snapshot(schema: contents.schema, archetypes: archetypes, resources: contents.resources, metadata: contents.metadata)
    }

    /// The stored bytes of block `number`, as they are in the file.
    func storedBytes(of descriptor: BlockDescriptor) -> UnsafeRawBufferPointer {
        let start = Int(descriptor.offset)
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + Int(descriptor.storedLength)])
    }

    func decodeBlock<Element: BitwiseCopyable>(
        _ number: Int, descriptor: BlockDescriptor, type: FieldType, as element: Element.Type = UInt8.self, aroundTheCache: Bool = false
    ) throws(PackError) -> [Element] {
        try BlockDecoder.decode(
            storedBytes(of: descriptor), descriptor: descriptor, type: type, number: number,
            label: contents.label(ofBlock: number), isEncrypted: header.isEncrypted, key: key, format: header.format, as: Element.self,
            aroundTheCache: aroundTheCache)
    }

    /// The file's format version.
    public var format: SnapshotFormat { header.format }

    /// Recomputes the footer's SHA-256 digest: of every byte before it
    /// (format 1), or of the header and the table of contents (format 2).
    public func computeDigest() -> [UInt8] {
        let footerStart = file.bytes.count - FileFooter.size(format)
        switch format {
        case .version1:
            return SHA256Hasher.hash(UnsafeRawBufferPointer(rebasing: file.bytes[0..<(footerStart + FileFooter.digestOffset(format))]))
        case .version2, .version3:
            let hasher = SHA256Hasher()
            hasher.update(UnsafeRawBufferPointer(rebasing: file.bytes[0..<FileHeader.size]))
            hasher.update(UnsafeRawBufferPointer(rebasing: file.bytes[Int(footer.tableOfContentsOffset)..<footerStart]))
            return hasher.finalize()
        }
    }

    /// Whether a key was given (and, for an encrypted file, matched).
    public var hasKey: Bool { key != nil }
}

extension Column {
    /// Builds a column from decoded block bytes, checking what the codec
    /// cannot: `bool` bytes are 0 or 1, strings are UTF-8, and the lengths
    /// of variable-width values add up.
    init(decoding raw: [UInt8], type: FieldType, count: Int, at offset: Int) throws(PackError) {
        if type.width != nil {
            if type == .bool, let bad = raw.firstIndex(where: { $0 > 1 }) {
                throw .malformed(offset: offset, reason: "bool value \(raw[bad]) at row \(bad)")
            }
            self.init(uncheckedType: type, count: count, storage: raw, ends: [])
            return
        }
        var ends: [Int] = []
        ends.reserveCapacity(count)
        let dataStart = count * 4
        var end = 0
        let total = raw.count - dataStart
        try raw.withBytes { (bytes) throws(PackError) in
            var lengths = ByteReader(bytes, range: 0..<dataStart)
            for row in 0..<count {
                end += Int(try lengths.readInteger(as: UInt32.self))
                guard end <= total else {
                    throw .malformed(offset: offset, reason: "value lengths pass the end of the block at row \(row)")
                }
                ends.append(end)
            }
        }
        guard end == total else { throw .malformed(offset: offset, reason: "\(total - end) bytes after the last value") }
        let storage = Array(raw[dataStart...])
        if type == .string {
            var start = 0
            for (row, end) in ends.enumerated() {
                guard String(validating: storage[start..<end], as: UTF8.self) != nil else {
                    throw .malformed(offset: offset, reason: "string at row \(row) is not valid UTF-8")
                }
                start = end
            }
        }
        self.init(uncheckedType: type, count: count, storage: storage, ends: ends)
    }
}
