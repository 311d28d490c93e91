/// Writes a native snapshot file as a stream: the header, then each
/// archetype's blocks as they are appended, then the table of contents and
/// the footer. Nothing is written twice and no second copy of the world is
/// built: a fixed-width column without filter or codec goes to the file
/// straight from its ``Column/storage``; otherwise one column's encoded
/// bytes are held at a time, two when a compressed file's large columns
/// are encoded two at once (the second on another thread).
///
/// The same world with the same options always produces the same bytes,
/// unless encrypted (every block gets a fresh random nonce). The file is in
/// ``WriteOptions/format`` (format 2 unless asked otherwise).
///
/// ```swift
/// let writer = try SnapshotWriter(path: "world.tscp", schema: schema, resources: resources)
/// for archetype in archetypes { try writer.append(archetype) }
/// try writer.finish()
/// ```
public final class SnapshotWriter {
    private let sink: any ByteSink
    private let options: WriteOptions
    private let encoder: BlockEncoder
    /// A second encoder, for the column encoded on another thread while
    /// this one's is encoded and written (compressed files after format 1:
    /// the slow step is compression, and no whole-file hash needs the bytes
    /// in order; an encrypted block is sealed there too, with its own
    /// nonce).
    private let companion: BlockEncoder?
    /// Format 1's whole-file SHA-256, fed every byte as it is written.
    private let fileHasher: SHA256Hasher?
    private let header: FileHeader
    private var contents: TableOfContents
    private var position: UInt64 = 0
    private var blockCount = 0
    private var isFinished = false

    /// Starts a file at `path`. It appears under that name only when
    /// ``finish()`` succeeds.
    public convenience init(
        path: String, schema: Schema, resources: Resources = Resources(),
        metadata: [String: String] = [:], options: WriteOptions = WriteOptions()
    ) throws(PackError) {
        try self.init(
            sink: FileSink(path: path, durable: options.isDurable),
            schema: schema, resources: resources, metadata: metadata, options: options)
    }

    /// - Parameter encodesTwoAtOnce: whether large compressed columns are
    ///   encoded two at a time (the file's bytes are the same either way;
    ///   tests compare the two).
    init(
        sink: any ByteSink, schema: Schema, resources: Resources, metadata: [String: String], options: WriteOptions,
        encodesTwoAtOnce: Bool = true
    ) throws(PackError) {
        try schema.validate()
        self.sink = sink
        self.options = options
        encoder = try BlockEncoder(codec: options.codec, key: options.key, fixedPoint: options.usesFixedPoint)
        companion = encodesTwoAtOnce && options.codec != .none && options.format >= .version2
            ? try BlockEncoder(codec: options.codec, key: options.key, fixedPoint: options.usesFixedPoint) : nil
        fileHasher = options.format == .version1 ? SHA256Hasher() : nil
        header = FileHeader(
            major: options.format.rawValue, minor: FileHeader.currentMinor, isEncrypted: options.key != nil,
            keyCheck: options.key?.checkValue ?? [UInt8](repeating: 0, count: 16))
        contents = TableOfContents(schema: schema, resources: resources, metadata: metadata, archetypes: [])
        try emit(header.bytes)
    }

    /// Appends one archetype: its entity ids, then each column.
    ///
    /// The archetype's structure is checked (``Snapshot/validateStructure()``);
    /// entity-id uniqueness is the caller's to check with
    /// ``Snapshot/validate()``, which costs a pass over every id.
    /// - Throws: ``PackError/invalidWorld(_:)`` when the archetype does not fit
    ///   the schema or repeats another's components; I/O and codec errors.
    public func append(_ archetype: Archetype) throws(PackError) {
        precondition(!isFinished, "append after finish")
        try Snapshot(schema: contents.schema, archetypes: [archetype]).validateStructure()
        guard !contents.archetypes.contains(where: { $0.components == archetype.components }) else {
            throw .invalidWorld("two archetypes have the components \(archetype.components.map(\.name))")
        }
        let entityBlock = try archetype.entities.withBytes { (ids) throws(PackError) in
            try writeBlock(raw: ids, type: .uint64, filter: options.automaticFilter(for: .uint64, isEntityIDs: true))
        }
        var columnBlocks: [BlockDescriptor] = []
        var next = 0
        while next < archetype.columns.count {
            let column = archetype.columns[next]
            let raw = column.type.width != nil ? column.storage : try column.variableRawBytes()
            let filter = options.automaticFilter(for: column.type, isEntityIDs: false)
            // Two large columns at once when there is a second encoder: the next one on another thread.
            if next + 1 < archetype.columns.count, raw.count >= Self.parallelThreshold, companion != nil {
                let following = archetype.columns[next + 1]
                let followingRaw = following.type.width != nil ? following.storage : try following.variableRawBytes()
                let followingFilter = options.automaticFilter(for: following.type, isEntityIDs: false)
                columnBlocks += try raw.withBytes { (first) throws(PackError) in
                    try followingRaw.withBytes { (second) throws(PackError) in
                        try writeTwoBlocks((first, column.type, filter), (second, following.type, followingFilter))
                    }
                }
                next += 2
            } else {
                columnBlocks.append(try raw.withBytes { (raw) throws(PackError) in try writeBlock(raw: raw, type: column.type, filter: filter) })
                next += 1
            }
        }
        contents.archetypes.append(TableOfContents.ArchetypeEntry(
            components: archetype.components, entityCount: archetype.count,
            entityBlock: entityBlock, columnBlocks: columnBlocks))
    }

    /// Writes the table of contents and the footer and makes the file
    /// visible under its name.
    /// - Returns: the file's size and the footer's SHA-256 digest.
    @discardableResult
    public func finish() throws(PackError) -> WriteSummary {
        precondition(!isFinished, "finish called twice")
        isFinished = true
        let format = options.format
        var writer = ByteWriter()
        contents.write(to: &writer, format: format)
        let tableBytes = writer.bytes
        var seal = [UInt8](repeating: 0, count: AESGCM.nonceSize + AESGCM.tagSize)
        if let key = options.key {
            seal = []
            try AESGCM.seal(
                UnsafeRawBufferPointer(start: nil, count: 0), key: key, nonce: SecureRandom.bytes(AESGCM.nonceSize),
                authenticating: header.bytes + tableBytes, appendingTo: &seal)
        }
        let footer = tableBytes.withUnsafeBytes {
            FileFooter(
                format: format, tableOfContentsOffset: position, tableOfContentsLength: UInt64(tableBytes.count),
                tableOfContentsChecksum: format.checksum($0).value, tableOfContentsSeal: seal, digest: [])
        }
        try emit(tableBytes)
        try emit(footer.bytesBeforeDigest)
        // Format 1: every byte so far; format 2: the header and the table,
        // which holds every block's checksum.
        let digest = fileHasher?.finalize() ?? SHA256Hasher.hash(header.bytes + tableBytes)
        try emit(digest)
        try emit(FileFooter.endMagic)
        try sink.commit()
        return WriteSummary(byteCount: Int(position), digest: digest)
    }

    /// Encodes two blocks at once, the second on another thread with the
    /// companion encoder (its stored bytes and their checksum taken there),
    /// while the first is encoded and written here; then writes the second.
    /// The file's bytes are those of writing them one after the other.
    private func writeTwoBlocks(
        _ first: (raw: UnsafeRawBufferPointer, type: FieldType, filter: ByteFilter),
        _ second: (raw: UnsafeRawBufferPointer, type: FieldType, filter: ByteFilter)
    ) throws(PackError) -> [BlockDescriptor] {
        let job = UncheckedTransfer((companion!, second, blockCount + 1, options))
        var firstDescriptor: BlockDescriptor?
        let encoded = try concurrently({ () -> Result<(BlockDescriptor, [UInt8]), PackError> in
            let (encoder, block, number, options) = job.value
            do throws(PackError) {
                var stored: [UInt8] = []
                var descriptor = try encoder.encode(raw: block.raw, type: block.type, filter: block.filter, blockNumber: number) { (bytes) throws(PackError) in
                    stored = Array(bytes)
                    return options.format.checksum(bytes).value
                }
                descriptor.statistics = Self.statistics(of: block.raw, type: block.type, options: options)
                return .success((descriptor, stored))
            } catch {
                return .failure(error)
            }
        }) { () throws(PackError) in
            firstDescriptor = try writeBlock(raw: first.raw, type: first.type, filter: first.filter, statisticsAlongside: false)
        }
        var (secondDescriptor, stored) = try encoded.get()
        secondDescriptor.offset = position
        try emit(stored)
        blockCount += 1
        return [firstDescriptor!, secondDescriptor]
    }

    /// A block's statistics, when the file keeps them: format 2 on, numeric
    /// columns, not encrypted (bounds would tell what the cipher hides).
    private static func statistics(of raw: UnsafeRawBufferPointer, type: FieldType, options: WriteOptions) -> ColumnStatistics? {
        options.format >= .version2 && options.key == nil && ColumnStatistics.applies(to: type) ? ColumnStatistics.of(raw: raw, type: type) : nil
    }

    /// Encodes and writes one block.
    /// - Parameter statisticsAlongside: whether a large column's statistics
    ///   are computed on a second thread while it is encoded and written
    ///   (not when that thread is encoding another column).
    private func writeBlock(
        raw: UnsafeRawBufferPointer, type: FieldType, filter: ByteFilter, statisticsAlongside: Bool = true
    ) throws(PackError) -> BlockDescriptor {
        if filter == .none, options.codec == .none, options.key == nil, options.format >= .version2,
            raw.count >= Self.parallelThreshold, UInt64(raw.count) <= Limits.maxBlockLength {
            return try writePlainBlock(raw: raw, type: type)
        }
        let offset = position
        let encode = { () throws(PackError) -> BlockDescriptor in
            try self.encoder.encode(raw: raw, type: type, filter: filter, blockNumber: self.blockCount) {
                (stored) throws(PackError) in try self.emitBlock(stored)
            }
        }
        var descriptor: BlockDescriptor
        // Format 2 keeps statistics of numeric columns, unless encrypted
        // (bounds would tell what the cipher hides); a large column's are
        // computed on a second thread while it is encoded and written.
        if options.format >= .version2, options.key == nil, ColumnStatistics.applies(to: type) {
            if raw.count < Self.parallelThreshold || !statisticsAlongside {
                descriptor = try encode()
                descriptor.statistics = ColumnStatistics.of(raw: raw, type: type)
            } else {
                let shared = UncheckedTransfer(raw)
                var encoded: BlockDescriptor?
                let statistics = try concurrently({ ColumnStatistics.of(raw: shared.value, type: type) }) { () throws(PackError) in
                    encoded = try encode()
                }
                descriptor = encoded!
                descriptor.statistics = statistics
            }
        } else {
            descriptor = try encode()
        }
        descriptor.offset = offset
        blockCount += 1
        return descriptor
    }

    /// Writes a large block that is stored as it is (no filter, codec or
    /// cipher): while this thread copies it into the file, the second
    /// thread checksums it and takes its statistics in one pass, 64 KB at a
    /// time, each chunk's statistics while the hash has it in the cache.
    /// The bytes and the descriptor are those the encoder would make.
    private func writePlainBlock(raw: UnsafeRawBufferPointer, type: FieldType) throws(PackError) -> BlockDescriptor {
        let keepsStatistics = ColumnStatistics.applies(to: type)
        let chunk = (XXH3.chunkBytes / (type.width ?? 1)) * (type.width ?? 1)
        let shared = UncheckedTransfer(raw)
        let (checksum, statistics) = try concurrently({ () -> (UInt64, ColumnStatistics?) in
            var statistics: ColumnStatistics?
            let checksum = XXH3.checksum(shared.value, chunkSize: chunk) { part in
                guard keepsStatistics, let found = ColumnStatistics.of(raw: part, type: type) else { return }
                statistics = statistics.map { $0.merged(with: found) } ?? found
            }
            return (checksum, statistics)
        }) { () throws(PackError) in
            try sink.write(raw)
        }
        let length = UInt64(raw.count)
        let descriptor = BlockDescriptor(
            offset: position, storedLength: length, encodedLength: length, rawLength: length, codec: .none, filter: .none,
            checksum: checksum, statistics: statistics)
        position += length
        blockCount += 1
        return descriptor
    }

    private func emit(_ bytes: [UInt8]) throws(PackError) {
        try bytes.withBytes { (buffer) throws(PackError) in try emit(buffer) }
    }

    /// Writes a block's stored bytes and returns their checksum. A large
    /// block is checksummed on a second thread while it is written (the
    /// write, a copy into the page cache, is the slow part); in format 1 it
    /// is hashed into the whole-file SHA-256 there too.
    private func emitBlock(_ bytes: UnsafeRawBufferPointer) throws(PackError) -> UInt64 {
        var checksum: UInt64 = 0
        if bytes.count >= Self.parallelThreshold {
            let shared = UncheckedTransfer((bytes, fileHasher, options.format))
            checksum = try concurrently({ () -> UInt64 in
                let (bytes, hasher, format) = shared.value
                hasher?.update(bytes)
                return format.checksum(bytes).value
            }) { () throws(PackError) in
                try sink.write(bytes)
            }
        } else {
            fileHasher?.update(bytes)
            checksum = options.format.checksum(bytes).value
            try sink.write(bytes)
        }
        position += UInt64(bytes.count)
        return checksum
    }

    /// Tells the sink how many bytes at least the file will hold once
    /// `archetypes` are appended: known only without codec and cipher, when
    /// a fixed-width column's block is its bytes as they are.
    func reserveSpace(for archetypes: [Archetype]) {
        guard options.codec == .none, options.key == nil else { return }
        let blocks = archetypes.reduce(0) { total, archetype in
            total + archetype.count * 8 + archetype.columns.reduce(0) { $0 + ($1.type.width != nil ? $1.storage.count : 0) }
        }
        sink.reserve(Int(position) + blocks)
    }

    /// Blocks from this size up share their work with a second thread.
    static let parallelThreshold = 256 * 1024

    private func emit(_ bytes: UnsafeRawBufferPointer) throws(PackError) {
        fileHasher?.update(bytes)
        try sink.write(bytes)
        position += UInt64(bytes.count)
    }
}

/// What writing a file produced.
public struct WriteSummary: Sendable, Equatable {
    /// The file's size in bytes.
    public var byteCount: Int
    /// The SHA-256 digest stored in the footer (format 2: of the header and
    /// the table of contents; format 1: of every byte before it).
    public var digest: [UInt8]
}

extension Snapshot {
    /// Writes the snapshot to `path` as a native snapshot file.
    @discardableResult
    public func write(to path: String, options: WriteOptions = WriteOptions()) throws(PackError) -> WriteSummary {
        let writer = try SnapshotWriter(
            path: path, schema: schema, resources: resources, metadata: metadata, options: options)
        writer.reserveSpace(for: archetypes)
        for archetype in archetypes { try writer.append(archetype) }
        return try writer.finish()
    }

    /// The bytes of the snapshot as a native snapshot file.
    public func encoded(options: WriteOptions = WriteOptions()) throws(PackError) -> [UInt8] {
        let sink = MemorySink()
        let writer = try SnapshotWriter(sink: sink, schema: schema, resources: resources, metadata: metadata, options: options)
        for archetype in archetypes { try writer.append(archetype) }
        try writer.finish()
        return sink.bytes
    }
}

extension Column {
    /// A variable-width column in its block form: a `u32` length per value,
    /// then the values' bytes.
    func variableRawBytes() throws(PackError) -> [UInt8] {
        var writer = ByteWriter()
        var start = 0
        for end in ends {
            guard end - start <= Int(UInt32.max) else {
                throw .sizeLimitExceeded(what: "a \(type) value", declared: UInt64(end - start), limit: UInt64(UInt32.max))
            }
            writer.writeInteger(UInt32(end - start))
            start = end
        }
        writer.writeBytes(storage)
        return writer.bytes
    }
}
