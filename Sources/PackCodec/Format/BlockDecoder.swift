import CStreamingCopy

/// Turns a stored block back into column bytes: checksum, decrypt,
/// decompress, unfilter. Lengths were validated when the table of contents
/// was read, so every allocation here is bounded by ``Limits``.
enum BlockDecoder {
    /// Decodes block `number` described by `descriptor`.
    /// - Parameters:
    ///   - stored: the block's stored bytes.
    ///   - type: the column's type (`u64` for entity ids).
    ///   - label: what the block holds, for errors.
    ///   - key: the key, for encrypted files.
    ///   - format: the file's format, which says how the checksum is computed.
    ///   - checksumVerified: a checksum around the block (a store record's)
    ///     has just verified these bytes, so the block's is not computed.
    ///   - element: what the bytes are read as: `UInt8` for a column's
    ///     storage, ``EntityID`` for an id block, which is then decoded
    ///     straight into the ids' array instead of copied there afterwards.
    ///   - aroundTheCache: a plain block's copy is stored around the cache
    ///     (a whole world too large for it is being read).
    /// - Returns: the raw column bytes (`rawLength` of them) as `Element`s.
    static func decode<Element: BitwiseCopyable>(
        _ stored: UnsafeRawBufferPointer, descriptor: BlockDescriptor, type: FieldType,
        number: Int, label: String, isEncrypted: Bool, key: EncryptionKey?, format: SnapshotFormat, checksumVerified: Bool = false,
        as element: Element.Type = UInt8.self, aroundTheCache: Bool = false
    ) throws(PackError) -> [Element] {
        // A plain block is its column's bytes: hashed and copied in one pass
        // over the file, each chunk copied while the hash has it in the cache.
        if !checksumVerified, !isEncrypted, format.checksumAlgorithm == .xxh3, descriptor.codec == .none, descriptor.filter == .none,
            stored.count == Int(descriptor.rawLength), stored.count >= fusedCopyThreshold {
            return try makeArray(of: Element.self, bytes: stored.count, number: number, label: label) { (destination) throws(PackError) in
                var copied = 0
                let actual = XXH3.checksum(stored, chunkSize: XXH3.chunkBytes) { chunk in
                    let target = UnsafeMutableRawBufferPointer(rebasing: destination[copied..<(copied + chunk.count)])
                    if aroundTheCache {
                        tickscope_copy_streaming(target.baseAddress!, chunk.baseAddress!, chunk.count)
                    } else {
                        target.copyMemory(from: chunk)
                    }
                    copied += chunk.count
                }
                guard actual == descriptor.checksum else {
                    throw .checksumMismatch(
                        block: number, column: label, expected: Checksum(format.checksumAlgorithm, descriptor.checksum),
                        actual: Checksum(format.checksumAlgorithm, actual))
                }
            }
        }
        if !checksumVerified { try checkChecksum(stored, descriptor: descriptor, number: number, label: label, format: format) }
        if isEncrypted {
            guard let key else { throw .keyRequired }
            var plaintext = [UInt8](repeating: 0, count: stored.count - AESGCM.nonceSize - AESGCM.tagSize)
            let authentic = plaintext.withUnsafeMutableBytes {
                AESGCM.open(stored, key: key, authenticating: descriptor.authenticatedData(blockIndex: number), into: $0)
            }
            guard authentic else { throw .tamperedBlock(block: number, column: label) }
            return try plaintext.withBytes { (payload) throws(PackError) in
                try decodePayload(payload, descriptor: descriptor, type: type, number: number, label: label, as: Element.self)
            }
        }
        return try decodePayload(stored, descriptor: descriptor, type: type, number: number, label: label, as: Element.self)
    }

    /// Plain blocks from this size up are checksummed and copied in one
    /// pass; smaller ones fit in the cache between the two.
    static let fusedCopyThreshold = 256 * 1024

    /// Checks a block's stored bytes against the descriptor's checksum.
    static func checkChecksum(
        _ stored: UnsafeRawBufferPointer, descriptor: BlockDescriptor, number: Int, label: String, format: SnapshotFormat
    ) throws(PackError) {
        let actual = format.checksum(stored)
        guard actual.value == descriptor.checksum else {
            throw .checksumMismatch(
                block: number, column: label, expected: Checksum(format.checksumAlgorithm, descriptor.checksum), actual: actual)
        }
    }

    private static func decodePayload<Element: BitwiseCopyable>(
        _ payload: UnsafeRawBufferPointer, descriptor: BlockDescriptor, type: FieldType, number: Int, label: String, as element: Element.Type
    ) throws(PackError) -> [Element] {
        let rawLength = Int(descriptor.rawLength)
        if descriptor.filter == .none {
            return try makeArray(of: Element.self, bytes: rawLength, number: number, label: label) { (destination) throws(PackError) in
                try decompress(payload, into: destination, descriptor: descriptor, number: number, label: label)
            }
        }
        let encoded = try makeArray(of: UInt8.self, bytes: Int(descriptor.encodedLength), number: number, label: label) { (destination) throws(PackError) in
            try decompress(payload, into: destination, descriptor: descriptor, number: number, label: label)
        }
        return try encoded.withBytes { (source) throws(PackError) in
            try makeArray(of: Element.self, bytes: rawLength, number: number, label: label) { (destination) throws(PackError) in
                switch descriptor.filter {
                case .shuffle:
                    ByteShuffle.unshuffle(source, width: type.width!, into: destination)
                case .deltaVarint:
                    if let reason = DeltaVarint.decode(source, width: type.width!, into: destination) {
                        throw .malformed(offset: Int(descriptor.offset), reason: "block \(number) (\(label)): \(reason)")
                    }
                case .fixedPoint:
                    if let reason = FixedPoint.decode(source, type: type, into: destination) {
                        throw .malformed(offset: Int(descriptor.offset), reason: "block \(number) (\(label)): \(reason)")
                    }
                case .none:
                    break
                }
            }
        }
    }

    private static func decompress(
        _ payload: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
        descriptor: BlockDescriptor, number: Int, label: String
    ) throws(PackError) {
        let failure: String?
        switch descriptor.codec {
        case .none:
            if payload.count > 0 { destination.copyMemory(from: payload) }
            failure = nil
        case .lz4:
            failure = LZ4.decompress(payload, into: destination)
        case .zstd:
            failure = Zstd.decompress(payload, into: destination)
        }
        if let failure {
            throw .decompressionFailed(block: number, column: label, codec: descriptor.codec.description, reason: failure)
        }
    }

    /// An array of `bytes / stride` elements that `body` fills through its
    /// raw bytes, without zero-filling first, or what `body` throws. The
    /// descriptor was validated against the element's width, so `bytes` is
    /// a whole number of them; a block that is not is malformed.
    private static func makeArray<Element: BitwiseCopyable>(
        of element: Element.Type, bytes count: Int, number: Int, label: String,
        _ body: (UnsafeMutableRawBufferPointer) throws(PackError) -> Void
    ) throws(PackError) -> [Element] {
        let stride = MemoryLayout<Element>.stride
        guard count % stride == 0 else {
            throw .malformed(offset: 0, reason: "block \(number) (\(label)): \(count) bytes are not whole values of \(stride) bytes")
        }
        var thrown: PackError?
        let elements = [Element](unsafeUninitializedCapacity: count / stride) { buffer, initialized in
            do throws(PackError) {
                try body(UnsafeMutableRawBufferPointer(buffer))
                initialized = count / stride
            } catch {
                thrown = error
                initialized = 0
            }
        }
        if let thrown { throw thrown }
        return elements
    }
}
