/// Turns a column's raw bytes into a stored block: filter, compress,
/// encrypt, checksum. A class because it owns a zstd context and scratch
/// buffers that are reused from block to block, so writing a world never
/// allocates more than about one column's worth of extra memory.
final class BlockEncoder {
    private let codec: BlockCodec
    private let key: EncryptionKey?
    /// Whether a float column given the shuffle filter is stored
    /// fixed-point instead when its values allow it.
    private let fixedPoint: Bool
    private var zstdContext: ZstdCompressionContext?
    private var filtered: [UInt8] = []
    /// The fixed-point filter's offsets before they are shuffled.
    private var offsets: [UInt8] = []
    private var compressed: [UInt8] = []
    private var sealed: [UInt8] = []

    init(codec: BlockCodec, key: EncryptionKey?, fixedPoint: Bool) throws(PackError) {
        self.codec = codec
        self.key = key
        self.fixedPoint = fixedPoint
        if case .zstd = codec { zstdContext = try ZstdCompressionContext() }
    }

    /// Encodes one block and hands its stored bytes to `emit` (valid only
    /// during the call), which writes them and returns their checksum.
    /// - Returns: the descriptor, with `offset` left for the caller to set.
    func encode(
        raw: UnsafeRawBufferPointer, type: FieldType, filter: ByteFilter, blockNumber: Int,
        emit: (UnsafeRawBufferPointer) throws(PackError) -> UInt64
    ) throws(PackError) -> BlockDescriptor {
        var descriptor = BlockDescriptor(
            offset: 0, storedLength: 0, encodedLength: 0, rawLength: UInt64(raw.count),
            codec: codec, filter: filter, checksum: 0)
        guard UInt64(raw.count) <= Limits.maxBlockLength else {
            throw .sizeLimitExceeded(what: "a column", declared: UInt64(raw.count), limit: Limits.maxBlockLength)
        }
        try withFiltered(raw, type: type, filter: filter) { (encoded, usedFilter) throws(PackError) in
            descriptor.filter = usedFilter
            descriptor.encodedLength = UInt64(encoded.count)
            try withCompressed(encoded) { (payload, usedCodec) throws(PackError) in
                descriptor.codec = usedCodec
                if let key {
                    descriptor.storedLength = UInt64(payload.count + AESGCM.nonceSize + AESGCM.tagSize)
                    sealed.resize(to: 0)
                    let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
                    try AESGCM.seal(
                        payload, key: key, nonce: nonce,
                        authenticating: descriptor.authenticatedData(blockIndex: blockNumber), appendingTo: &sealed)
                    try sealed.withBytes { (stored) throws(PackError) in
                        descriptor.checksum = try emit(stored)
                    }
                } else {
                    descriptor.storedLength = UInt64(payload.count)
                    descriptor.checksum = try emit(payload)
                }
            }
        }
        return descriptor
    }

    /// Filters `raw` and hands `body` the encoded bytes and the filter
    /// they were encoded with: `filter`, or fixed-point for a float column
    /// given shuffle when the encoder may and the values allow it.
    private func withFiltered(
        _ raw: UnsafeRawBufferPointer, type: FieldType, filter: ByteFilter,
        _ body: (UnsafeRawBufferPointer, ByteFilter) throws(PackError) -> Void
    ) throws(PackError) {
        switch filter {
        case .none:
            try body(raw, .none)
        case .shuffle:
            if fixedPoint, ByteFilter.fixedPoint.applies(to: type), FixedPoint.encode(raw, type: type, scratch: &offsets, into: &filtered) {
                try filtered.withBytes { (bytes) throws(PackError) in try body(bytes, .fixedPoint) }
                return
            }
            filtered.resize(to: raw.count)
            filtered.withUnsafeMutableBytes { ByteShuffle.shuffle(raw, width: type.width!, into: $0) }
            try filtered.withBytes { (bytes) throws(PackError) in try body(bytes, .shuffle) }
        case .deltaVarint:
            DeltaVarint.encode(raw, width: type.width!, signed: type.isSignedInteger, into: &filtered)
            try filtered.withBytes { (bytes) throws(PackError) in try body(bytes, .deltaVarint) }
        case .fixedPoint:
            guard FixedPoint.encode(raw, type: type, scratch: &offsets, into: &filtered) else {
                throw .invalidWorld("a \(type) column whose values are not on one fixed-point grid cannot take the fixed-point filter")
            }
            try filtered.withBytes { (bytes) throws(PackError) in try body(bytes, .fixedPoint) }
        }
    }

    /// Compresses `encoded` with the writer's codec and hands `body` the
    /// payload and the codec it was actually stored with: a block that does
    /// not shrink is stored as it is (each block records its own codec, and
    /// reading it then costs a copy).
    private func withCompressed(
        _ encoded: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, BlockCodec) throws(PackError) -> Void
    ) throws(PackError) {
        switch codec {
        case .none:
            try body(encoded, .none)
            return
        case .lz4:
            try LZ4.compress(encoded, into: &compressed)
        case .zstd(let level):
            try Zstd.compress(encoded, level: level, context: zstdContext!.pointer, into: &compressed)
        }
        if compressed.count >= encoded.count {
            try body(encoded, .none)
        } else {
            try compressed.withBytes { (bytes) throws(PackError) in try body(bytes, codec) }
        }
    }
}
