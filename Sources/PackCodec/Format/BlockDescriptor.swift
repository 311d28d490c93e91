/// The table-of-contents entry of one column block: where its bytes are,
/// how they were encoded, their checksum and (format 2) the column's
/// statistics (`docs/FORMAT.md`, "Block descriptor"). 40 bytes in a
/// format 1 file; 48 in format 2, or 72 with statistics.
public struct BlockDescriptor: Sendable, Equatable {
    /// The absolute offset of the stored bytes.
    public var offset: UInt64
    /// The number of stored bytes (for encrypted blocks: nonce, ciphertext, tag).
    public var storedLength: UInt64
    /// The length after the filter and before compression.
    public var encodedLength: UInt64
    /// The length of the decoded column bytes.
    public var rawLength: UInt64
    /// The compression codec.
    public var codec: BlockCodec
    /// The byte filter.
    public var filter: ByteFilter
    /// The checksum of the stored bytes: a CRC-32 in format 1, an XXH3-64
    /// in format 2 (``SnapshotFormat/checksumAlgorithm``).
    public var checksum: UInt64
    /// The column's bounds and NaN count (format 2, numeric columns of
    /// unencrypted files), or `nil`.
    public var statistics: ColumnStatistics?

    /// A descriptor as a writer fills it in.
    public init(
        offset: UInt64, storedLength: UInt64, encodedLength: UInt64, rawLength: UInt64,
        codec: BlockCodec, filter: ByteFilter, checksum: UInt64, statistics: ColumnStatistics? = nil
    ) {
        self.offset = offset
        self.storedLength = storedLength
        self.encodedLength = encodedLength
        self.rawLength = rawLength
        self.codec = codec
        self.filter = filter
        self.checksum = checksum
        self.statistics = statistics
    }

    package func write(to writer: inout ByteWriter, format: SnapshotFormat) {
        writer.writeInteger(offset)
        writeEncoding(to: &writer)
        switch format {
        case .version1:
            writer.writeInteger(UInt32(truncatingIfNeeded: checksum))
        case .version2, .version3:
            writer.writeInteger(UInt8(statistics == nil ? 0 : 1))
            writer.writeBytes([0, 0, 0])
            writer.writeInteger(checksum)
            statistics?.write(to: &writer)
        }
    }

    /// Bytes 8–35 of the descriptor: lengths, codec, level, filter and the
    /// reserved byte. Also the tail of an encrypted block's associated data.
    private func writeEncoding(to writer: inout ByteWriter) {
        writer.writeInteger(storedLength)
        writer.writeInteger(encodedLength)
        writer.writeInteger(rawLength)
        writer.writeInteger(codec.code)
        writer.writeInteger(codec.levelByte)
        writer.writeInteger(filter.rawValue)
        writer.writeInteger(UInt8(0))
    }

    /// Reads a descriptor of `format` for a column of `count` values of `type`.
    package static func read(
        from reader: inout ByteReader, format: SnapshotFormat, type: FieldType, count: UInt64
    ) throws(PackError) -> BlockDescriptor {
        let start = reader.offset
        let offset = try reader.readInteger(as: UInt64.self)
        let stored = try reader.readInteger(as: UInt64.self)
        let encoded = try reader.readInteger(as: UInt64.self)
        let raw = try reader.readInteger(as: UInt64.self)
        let codecCode = try reader.readInteger(as: UInt8.self)
        let level = try reader.readInteger(as: UInt8.self)
        guard let codec = BlockCodec(code: codecCode, level: level) else {
            throw .malformed(offset: start + 32, reason: "unknown codec \(codecCode) level \(level)")
        }
        let filterCode = try reader.readInteger(as: UInt8.self)
        guard let filter = ByteFilter(rawValue: filterCode) else {
            throw .malformed(offset: start + 34, reason: "unknown filter \(filterCode)")
        }
        guard try reader.readInteger(as: UInt8.self) == 0 else {
            throw .malformed(offset: start + 35, reason: "reserved byte is not zero")
        }
        var descriptor = BlockDescriptor(
            offset: offset, storedLength: stored, encodedLength: encoded, rawLength: raw,
            codec: codec, filter: filter, checksum: 0)
        switch format {
        case .version1:
            descriptor.checksum = UInt64(try reader.readInteger(as: UInt32.self))
        case .version2, .version3:
            let hasStatistics = try reader.readInteger(as: UInt8.self)
            guard hasStatistics <= 1 else {
                throw .malformed(offset: start + 36, reason: "statistics byte is \(hasStatistics), not 0 or 1")
            }
            guard try reader.readBytes(3).allSatisfy({ $0 == 0 }) else {
                throw .malformed(offset: start + 37, reason: "reserved bytes are not zero")
            }
            descriptor.checksum = try reader.readInteger(as: UInt64.self)
            if hasStatistics == 1 {
                descriptor.statistics = try ColumnStatistics.read(from: &reader, type: type, count: count)
            }
        }
        return descriptor
    }

    /// The additional authenticated data of an encrypted block: it binds the
    /// ciphertext to its position and to how it must be decoded, so moving,
    /// swapping or relabelling a block fails authentication.
    func authenticatedData(blockIndex: Int) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(Array("TSCPBLK1".utf8))
        writer.writeInteger(UInt64(blockIndex))
        writeEncoding(to: &writer)
        return writer.bytes
    }

    /// Checks the lengths against each other, the column and the file, so
    /// decoding never allocates more than the format allows.
    /// - Parameters:
    ///   - type: the column's type (`u64` for entity ids).
    ///   - count: the archetype's entity count.
    ///   - blockArea: the byte range blocks may occupy.
    ///   - isEncrypted: whether stored bytes carry nonce and tag.
    ///   - allowsFixedPoint: whether the filter ``ByteFilter/fixedPoint``
    ///     may appear (format 3 files and store blocks).
    ///   - at: the descriptor's offset in the file, for errors.
    func validate(
        type: FieldType, count: UInt64, blockArea: Range<UInt64>, isEncrypted: Bool, allowsFixedPoint: Bool, at position: Int
    ) throws(PackError) {
        func bad(_ reason: String) -> PackError { .malformed(offset: position, reason: reason) }
        guard rawLength <= Limits.maxBlockLength else {
            throw .sizeLimitExceeded(what: "block at offset \(position)", declared: rawLength, limit: Limits.maxBlockLength)
        }
        guard offset >= blockArea.lowerBound, storedLength <= blockArea.upperBound - blockArea.lowerBound,
            offset <= blockArea.upperBound - storedLength
        else { throw bad("block bytes \(offset)+\(storedLength) lie outside the block area \(blockArea)") }
        if let width = type.width {
            guard rawLength == count * UInt64(width) else {
                throw bad("block holds \(rawLength) bytes for \(count) values of \(type)")
            }
        } else {
            guard rawLength >= count * 4 else { throw bad("block of \(rawLength) bytes cannot hold \(count) lengths") }
        }
        guard filter.applies(to: type) else { throw bad("filter \(filter) does not apply to \(type)") }
        guard filter != .fixedPoint || allowsFixedPoint else { throw bad("filter \(filter) does not exist before format 3") }
        switch filter {
        case .none, .shuffle:
            guard encodedLength == rawLength else { throw bad("filter \(filter) must keep the length") }
        case .deltaVarint:
            guard encodedLength >= count, encodedLength <= count * UInt64(DeltaVarint.maxVarintLength) else {
                throw bad("\(encodedLength) varint bytes cannot hold \(count) values")
            }
        case .fixedPoint:
            guard encodedLength == FixedPoint.encodedLength(count: count) else {
                throw bad("fixed-point block of \(encodedLength) bytes for \(count) values")
            }
        }
        guard !(isEncrypted && statistics != nil) else { throw bad("an encrypted block carries statistics") }
        let overhead: UInt64 = isEncrypted ? UInt64(AESGCM.nonceSize + AESGCM.tagSize) : 0
        guard storedLength >= overhead else { throw bad("encrypted block shorter than its nonce and tag") }
        let payload = storedLength - overhead
        switch codec {
        case .none:
            guard payload == encodedLength else { throw bad("uncompressed block stores \(payload) bytes for \(encodedLength)") }
        case .lz4:
            let limit = LZ4.maxDecodedLength(storedLength: Int(payload))
            guard encodedLength <= limit else {
                throw .sizeLimitExceeded(what: "lz4 block at offset \(position)", declared: encodedLength, limit: limit)
            }
        case .zstd:
            let limit = Zstd.maxDecodedLength(storedLength: Int(payload))
            guard encodedLength <= limit else {
                throw .sizeLimitExceeded(what: "zstd block at offset \(position)", declared: encodedLength, limit: limit)
            }
        }
    }
}
