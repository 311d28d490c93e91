/// One encoded column outside a snapshot file: what the checkpoint store
/// keeps in its data files. It carries everything needed to decode it: the
/// value type and count, the codec and filter, and the stored bytes (with
/// their CRC-32, checked on decode).
public struct ColumnBlock: Sendable, Equatable {
    /// The type of the values (`u64` for entity ids).
    public var type: FieldType
    /// The number of values.
    public var count: Int
    /// Lengths, codec, filter and CRC-32 (`offset` is unused here: 0). A
    /// block outside a file keeps format 1's 40-byte descriptor with its
    /// CRC-32 (docs/STORE.md, "Data records").
    public var descriptor: BlockDescriptor
    /// The stored bytes.
    public var storedBytes: [UInt8]

    /// The descriptor layout and checksum of a block record: format 1's.
    static let format = SnapshotFormat.version1

    /// Wraps parts that belong together (checked again on decode).
    public init(type: FieldType, count: Int, descriptor: BlockDescriptor, storedBytes: [UInt8]) {
        self.type = type
        self.count = count
        self.descriptor = descriptor
        self.storedBytes = storedBytes
    }

    /// Encodes a column with the codec of `options` and the filter the
    /// writer would choose (fixed-point for a float column whose values
    /// allow it: store 1.6). Blocks outside files are never encrypted.
    /// - Parameter filter: a filter to use instead of the automatic one
    ///   (it must apply to the column's type; it is used as given).
    public static func encode(_ column: Column, options: WriteOptions, filter override: ByteFilter? = nil) throws(PackError) -> ColumnBlock {
        let filter = override ?? options.automaticFilter(for: column.type, isEntityIDs: false)
        precondition(filter.applies(to: column.type), "filter \(filter) does not apply to \(column.type)")
        let fixedPoint = override == nil && options.usesFixedPoint
        if column.type.width != nil {
            return try column.storage.withBytes { (raw) throws(PackError) in
                try encode(raw: raw, type: column.type, count: column.count, filter: filter, fixedPoint: fixedPoint, options: options)
            }
        }
        return try column.variableRawBytes().withBytes { (raw) throws(PackError) in
            try encode(raw: raw, type: column.type, count: column.count, filter: filter, fixedPoint: false, options: options)
        }
    }

    /// Encodes an entity-id column (delta-varint filtered when compressing).
    public static func encode(entities: [EntityID], options: WriteOptions) throws(PackError) -> ColumnBlock {
        try entities.withBytes { (raw) throws(PackError) in
            try encode(raw: raw, type: .uint64, count: entities.count,
                       filter: options.automaticFilter(for: .uint64, isEntityIDs: true), fixedPoint: false, options: options)
        }
    }

    private static func encode(
        raw: UnsafeRawBufferPointer, type: FieldType, count: Int, filter: ByteFilter, fixedPoint: Bool, options: WriteOptions
    ) throws(PackError) -> ColumnBlock {
        let encoder = try BlockEncoder(codec: options.codec, key: nil, fixedPoint: fixedPoint)
        var stored: [UInt8] = []
        let descriptor = try encoder.encode(raw: raw, type: type, filter: filter, blockNumber: 0) { (bytes) throws(PackError) in
            stored = Array(bytes)
            return UInt64(CRC32.checksum(bytes))
        }
        return ColumnBlock(type: type, count: count, descriptor: descriptor, storedBytes: stored)
    }

    /// The block as one record: `u8` type, `u64` count, the 40-byte
    /// descriptor (docs/FORMAT.md), then the stored bytes. The checkpoint
    /// store appends this to its data files (docs/STORE.md).
    public var recordBytes: [UInt8] {
        var writer = ByteWriter()
        writer.writeInteger(type.rawValue)
        writer.writeInteger(UInt64(count))
        descriptor.write(to: &writer, format: Self.format)
        writer.writeBytes(storedBytes)
        return writer.bytes
    }

    /// Reads a block from ``recordBytes``, checking the descriptor against
    /// the type, the count and the bytes present.
    public init(recordBytes bytes: UnsafeRawBufferPointer) throws(PackError) {
        let (type, count, descriptor, stored) = try Self.parse(record: bytes)
        self.init(type: type, count: count, descriptor: descriptor, storedBytes: Array(stored))
    }

    /// The parts of a record, the stored bytes in place, checked as
    /// ``init(recordBytes:)`` says.
    private static func parse(record bytes: UnsafeRawBufferPointer) throws(PackError)
        -> (type: FieldType, count: Int, descriptor: BlockDescriptor, stored: UnsafeRawBufferPointer) {
        var reader = ByteReader(bytes)
        let code = try reader.readInteger(as: UInt8.self)
        guard let type = FieldType(rawValue: code) else { throw .malformed(offset: 0, reason: "unknown field type \(code)") }
        let count = try reader.readInteger(as: UInt64.self)
        guard count <= Limits.maxEntitiesPerArchetype else {
            throw .sizeLimitExceeded(what: "a column block", declared: count, limit: Limits.maxEntitiesPerArchetype)
        }
        let descriptor = try BlockDescriptor.read(from: &reader, format: Self.format, type: type, count: count)
        let stored = UnsafeRawBufferPointer(rebasing: bytes[reader.offset...])
        try descriptor.validate(type: type, count: count, blockArea: 0..<UInt64(stored.count), isEncrypted: false, allowsFixedPoint: true, at: 9)
        guard descriptor.storedLength == UInt64(stored.count) else {
            throw .malformed(offset: 9, reason: "block declares \(descriptor.storedLength) stored bytes, the record holds \(stored.count)")
        }
        return (type, Int(count), descriptor, stored)
    }

    /// Decodes a block record (``recordBytes``) in place whose bytes a
    /// checksum around it has just verified: the store's record CRC-32
    /// covers the descriptor and the stored bytes, so the block's own
    /// CRC-32 over the same bytes is not computed a second time. Anything
    /// else is checked as ``init(recordBytes:)`` and ``decodeColumn(label:)``
    /// check it.
    package static func decodeColumn(verifiedRecord bytes: UnsafeRawBufferPointer, label: String) throws(PackError) -> Column {
        let (type, count, descriptor, stored) = try parse(record: bytes)
        let raw = try BlockDecoder.decode(
            stored, descriptor: descriptor, type: type, number: 0, label: label, isEncrypted: false, key: nil, format: Self.format,
            checksumVerified: true)
        return try Column(decoding: raw, type: type, count: count, at: 0)
    }

    /// Checks the stored bytes against the descriptor's CRC-32 alone,
    /// without decoding (what ``decodeColumn(verifiedRecord:label:)``
    /// leaves to whoever verifies a store).
    package func checkChecksum(label: String) throws(PackError) {
        try storedBytes.withBytes { (bytes) throws(PackError) in
            try BlockDecoder.checkChecksum(bytes, descriptor: descriptor, number: 0, label: label, format: Self.format)
        }
    }

    /// Decodes the block into a column.
    /// - Parameter label: what the block holds, for errors.
    /// - Throws: ``PackError`` on a checksum mismatch or malformed contents.
    public func decodeColumn(label: String) throws(PackError) -> Column {
        let raw = try decodeRaw(label: label)
        return try Column(decoding: raw, type: type, count: count, at: 0)
    }

    /// Decodes the block into a column without computing its CRC-32, which
    /// a checksum around it (a store record's) has just verified.
    package func decodeColumn(verifiedLabel label: String) throws(PackError) -> Column {
        let raw = try decodeRaw(label: label, checksumVerified: true)
        return try Column(decoding: raw, type: type, count: count, at: 0)
    }

    /// Decodes an entity-id block.
    public func decodeEntities(label: String) throws(PackError) -> [EntityID] {
        try decodeRaw(label: label, as: EntityID.self)
    }

    /// Decodes an entity-id block without computing its CRC-32, which a
    /// checksum around it (a store record's) has just verified.
    package func decodeEntities(verifiedLabel label: String) throws(PackError) -> [EntityID] {
        try decodeRaw(label: label, checksumVerified: true, as: EntityID.self)
    }

    /// The block's raw bytes as `Element`s: `UInt8` for a column's storage,
    /// ``EntityID`` for an id block, decoded straight into the ids.
    private func decodeRaw<Element: BitwiseCopyable>(
        label: String, checksumVerified: Bool = false, as element: Element.Type = UInt8.self
    ) throws(PackError) -> [Element] {
        try descriptor.validate(
            type: type, count: UInt64(count), blockArea: 0..<UInt64(storedBytes.count), isEncrypted: false, allowsFixedPoint: true, at: 0)
        return try storedBytes.withBytes { (bytes) throws(PackError) in
            try BlockDecoder.decode(
                bytes, descriptor: descriptor, type: type, number: 0, label: label, isEncrypted: false, key: nil, format: Self.format,
                checksumVerified: checksumVerified, as: Element.self)
        }
    }
}
