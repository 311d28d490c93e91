import PackCodec

extension TX2PackFile {
    /// The codec of a written file.
    public enum Compression: Sendable { case none, zstd(level: Int), lz4 }

    /// The file's bytes, built as tx2-pack's `SnapshotWriter` does: bincode
    /// payload (with the inner header as the caller had it), compressed,
    /// encrypted with a fresh random nonce when a key is given, then the
    /// outer header with the codec, the flag, the SHA-256 of the data and
    /// its size.
    /// - Parameter messagePack: write the payload as MessagePack (header
    ///   format 1) instead of bincode.
    public func encoded(compression: Compression, key: EncryptionKey?, messagePack: Bool = false) throws(InteropError) -> [UInt8] {
        var payload = BincodeWriter()
        if messagePack {
            var copy = self
            copy.innerHeader.format = 1
            payload.bytes = copy.messagePackPayload()
        } else {
            bincodePayload(into: &payload)
        }
        return try seal(payload.bytes, compression: compression, key: key, format: messagePack ? 1 : 0)
    }

    private func bincodePayload(into payload: inout BincodeWriter) {
        Self.write(innerHeader, into: &payload)
        payload.count(archetypes.count)
        for archetype in archetypes {
            payload.string(archetype.component)
            payload.count(archetype.entities.count)
            for id in archetype.entities { payload.integer(id) }
            switch archetype.data {
            case .blob(let bytes):
                payload.integer(UInt32(1))
                payload.count(bytes.count)
                payload.bytes.append(contentsOf: bytes)
            case .structOfArrays(let fields):
                payload.integer(UInt32(0))
                payload.count(fields.count)
                for field in fields { payload.string(field.name) }
                payload.count(fields.count)
                for field in fields { payload.integer(UInt32(Self.fieldTypes.firstIndex(of: field.column.type)!)) }
                payload.count(fields.count)
                for field in fields { Self.write(field.column, into: &payload) }
            }
        }
        payload.count(entityMetadata.count)
        for (entity, metadata) in entityMetadata {
            payload.integer(entity)
            payload.integer(metadata.createdAt)
            payload.integer(metadata.modifiedAt)
            payload.count(metadata.tags.count)
            for tag in metadata.tags { payload.string(tag) }
        }
    }

    /// Compresses, encrypts and puts the outer header in front.
    private func seal(_ payload: [UInt8], compression: Compression, key: EncryptionKey?, format: UInt32) throws(InteropError) -> [UInt8] {
        var outer = header
        var data: [UInt8]
        switch compression {
        case .none:
            outer.compression = 0
            data = payload
        case .zstd(let level):
            outer.compression = 1
            data = []
            do {
                let context = try ZstdCompressionContext()
                try payload.withBytes { (source) throws(PackError) in try Zstd.compress(source, level: level, context: context.pointer, into: &data) }
            } catch { throw .world(error) }
        case .lz4:
            outer.compression = 2
            data = LZ4Frame.encode(payload)
        }
        outer.encrypted = key != nil
        if let key {
            var sealed: [UInt8] = []
            do {
                let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
                try data.withBytes { (plain) throws(PackError) in try AESGCM.seal(plain, key: key, nonce: nonce, authenticating: [], appendingTo: &sealed) }
            } catch { throw .world(error) }
            data = sealed
        }
        outer.format = format
        outer.version = 1
        outer.checksum = SHA256Hasher.hash(data)
        outer.dataOffset = UInt64(Self.headerSize)
        outer.dataSize = UInt64(data.count)
        outer.metadataOffset = 0
        outer.metadataSize = 0
        var file = BincodeWriter()
        Self.write(outer, into: &file)
        return file.bytes + data
    }

    static func write(_ header: Header, into writer: inout BincodeWriter) {
        writer.bytes.append(contentsOf: magic)
        writer.integer(header.version)
        writer.integer(header.format)
        writer.integer(header.compression)
        writer.integer(UInt8(header.encrypted ? 1 : 0))
        writer.bytes.append(contentsOf: header.checksum)
        writer.integer(header.timestamp)
        for value in [header.entityCount, header.componentCount, header.archetypeCount, header.dataOffset, header.dataSize,
                      header.metadataOffset, header.metadataSize] { writer.integer(value) }
    }

    static func write(_ column: Column, into writer: inout BincodeWriter) {
        writer.integer(UInt32(fieldTypes.firstIndex(of: column.type)!))
        writer.count(column.count)
        if column.type.width != nil {
            // Tickscope keeps fixed-width values little-endian, as bincode does.
            writer.bytes.append(contentsOf: column.storage)
        } else {
            for row in 0..<column.count {
                let value = column.variableBytes(at: row)
                writer.count(value.count)
                writer.bytes.append(contentsOf: value)
            }
        }
    }
}
