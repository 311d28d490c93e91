import PackCodec

/// A `.tx2pack` snapshot file, as the tx2-pack crate 0.1 writes it
/// (docs/FORMATS.md): a 117-byte bincode header (`TX2PACK\0`, version 1,
/// payload format, compression, encrypted flag, SHA-256 of the data section,
/// timestamp, counts, offsets), then the data section: the bincode payload,
/// compressed with zstd, an LZ4 frame or nothing, optionally AES-256-GCM
/// encrypted (nonce ‖ ciphertext ‖ tag, no associated data).
public struct TX2PackFile: Equatable, Sendable {
    /// The header fields (outer, or the payload's inner copy).
    public struct Header: Equatable, Sendable {
        public var version: UInt32 = 1
        /// 0 bincode, 1 MessagePack, 2 custom.
        public var format: UInt32 = 0
        /// 0 none, 1 zstd, 2 lz4.
        public var compression: UInt32 = 1
        public var encrypted = false
        public var checksum = [UInt8](repeating: 0, count: 32)
        /// Seconds since 1970.
        public var timestamp: Int64 = 0
        public var entityCount: UInt64 = 0
        public var componentCount: UInt64 = 0
        public var archetypeCount: UInt64 = 0
        public var dataOffset: UInt64 = 0
        public var dataSize: UInt64 = 0
        public var metadataOffset: UInt64 = 0
        public var metadataSize: UInt64 = 0

        public init() {}
    }

    /// One component's entities and data (tx2-pack's `ComponentArchetype`).
    public struct ComponentArchetype: Equatable, Sendable {
        public enum Data: Equatable, Sendable {
            /// Named, typed columns, one value per entity.
            case structOfArrays([(name: String, column: Column)])
            /// Opaque bytes for the whole archetype.
            case blob([UInt8])

            public static func == (a: Data, b: Data) -> Bool {
                switch (a, b) {
                case let (.blob(x), .blob(y)): x == y
                case let (.structOfArrays(x), .structOfArrays(y)): x.map(\.name) == y.map(\.name) && x.map(\.column) == y.map(\.column)
                default: false
                }
            }
        }

        public var component: String
        public var entities: [UInt32]
        public var data: Data
    }

    /// tx2-pack's per-entity metadata.
    public struct EntityMetadata: Equatable, Sendable {
        public var createdAt: Int64
        public var modifiedAt: Int64
        public var tags: [String]
    }

    /// The outer header as read (or written).
    public var header: Header
    /// The payload's own copy of the header.
    public var innerHeader: Header
    public var archetypes: [ComponentArchetype]
    /// By entity id, in file order.
    public var entityMetadata: [(entity: UInt32, metadata: EntityMetadata)]

    public static func == (a: TX2PackFile, b: TX2PackFile) -> Bool {
        a.header == b.header && a.innerHeader == b.innerHeader && a.archetypes == b.archetypes
            && a.entityMetadata.map(\.entity) == b.entityMetadata.map(\.entity) && a.entityMetadata.map(\.metadata) == b.entityMetadata.map(\.metadata)
    }

    static let magic: [UInt8] = Array("TX2PACK".utf8) + [0]
    static let headerSize = 117
    /// The most a payload may inflate to (tx2-pack itself caps zstd at 100 MiB).
    public static let maxPayload = 1 << 30

    public static func isTX2Pack(_ prefix: [UInt8]) -> Bool { prefix.starts(with: magic) }

    /// Reads a file's bytes.
    /// - Parameter key: tx2-pack's raw 32-byte key, for an encrypted file.
    /// - Throws: ``InteropError`` naming what is wrong: a bad checksum, a
    ///   missing or wrong key, a damaged frame, a malformed payload.
    public static func read(_ bytes: [UInt8], key: EncryptionKey?) throws(InteropError) -> TX2PackFile {
        var reader = BincodeReader(bytes)
        let header = try readHeader(&reader)
        guard header.dataOffset <= UInt64(bytes.count), header.dataSize <= UInt64(bytes.count) - header.dataOffset else {
            throw .malformed("the data section (\(header.dataSize) bytes at \(header.dataOffset)) runs past the end of the \(bytes.count)-byte file")
        }
        let data = Array(bytes[Int(header.dataOffset)..<Int(header.dataOffset + header.dataSize)])
        guard SHA256Hasher.hash(data) == header.checksum else {
            throw .malformed("the SHA-256 of the data section does not match the header's: the file is damaged")
        }
        var stored = data
        if header.encrypted {
            guard let key else { throw .malformed("the file is encrypted: a key is needed (--key-file with tx2-pack's raw 32-byte key)") }
            guard data.count >= AESGCM.nonceSize + AESGCM.tagSize else { throw .malformed("the encrypted data is shorter than a nonce and a tag") }
            var plain = [UInt8](repeating: 0, count: data.count - AESGCM.nonceSize - AESGCM.tagSize)
            let opened = data.withUnsafeBytes { sealed in plain.withUnsafeMutableBytes { AESGCM.open(sealed, key: key, authenticating: [], into: $0) } }
            guard opened else { throw .malformed("decryption failed: wrong key, or the data was changed") }
            stored = plain
        }
        let payload: [UInt8]
        switch header.compression {
        case 0: payload = stored
        case 1: payload = try unzstd(stored)
        case 2: payload = try LZ4Frame.decode(stored, limit: maxPayload)
        default: throw .malformed("compression \(header.compression) at offset 16 is not 0 (none), 1 (zstd) or 2 (lz4)")
        }
        var file = TX2PackFile(header: header, innerHeader: header, archetypes: [], entityMetadata: [])
        switch header.format {
        case 0: break
        case 1:
            try readMessagePack(payload, into: &file)
            return file
        default: throw .malformed("payload format \(header.format) at offset 12 is neither bincode (0) nor MessagePack (1)")
        }
        var body = BincodeReader(payload)
        file.innerHeader = try readHeader(&body)
        for _ in 0..<(try body.count(elementSize: 28)) { file.archetypes.append(try readArchetype(&body)) }
        for _ in 0..<(try body.count(elementSize: 28)) {
            let entity: UInt32 = try body.integer()
            let created: Int64 = try body.integer(), modified: Int64 = try body.integer()
            var tags: [String] = []
            for _ in 0..<(try body.count(elementSize: 8)) { tags.append(try body.string()) }
            file.entityMetadata.append((entity, EntityMetadata(createdAt: created, modifiedAt: modified, tags: tags)))
        }
        return file
    }

    /// One zstd frame, which must declare its size (tx2-pack's always do).
    private static func unzstd(_ frame: [UInt8]) throws(InteropError) -> [UInt8] {
        guard let declared = frame.withUnsafeBytes({ Zstd.declaredSize($0) }) else {
            throw .malformed("the data is not a zstd frame that declares its size")
        }
        guard declared <= UInt64(maxPayload) else { throw .malformed("the zstd frame declares \(declared) bytes, more than \(maxPayload)") }
        var output = [UInt8](repeating: 0, count: Int(declared))
        let failure = frame.withUnsafeBytes { source in output.withUnsafeMutableBytes { Zstd.decompress(source, into: $0) } }
        if let failure { throw .malformed("the zstd frame is damaged: \(failure)") }
        return output
    }

    static func readHeader(_ reader: inout BincodeReader) throws(InteropError) -> Header {
        guard Array(try reader.raw(8)) == magic else { throw .malformed("no TX2PACK magic at offset \(reader.offset - 8)") }
        var header = Header()
        header.version = try reader.integer()
        guard header.version == 1 else { throw .malformed("version \(header.version) at offset \(reader.offset - 4); tx2-pack reads only version 1") }
        header.format = try reader.integer()
        header.compression = try reader.integer()
        header.encrypted = try reader.bool()
        header.checksum = Array(try reader.raw(32))
        header.timestamp = try reader.integer()
        header.entityCount = try reader.integer()
        header.componentCount = try reader.integer()
        header.archetypeCount = try reader.integer()
        header.dataOffset = try reader.integer()
        header.dataSize = try reader.integer()
        header.metadataOffset = try reader.integer()
        header.metadataSize = try reader.integer()
        return header
    }

    static func readArchetype(_ reader: inout BincodeReader) throws(InteropError) -> ComponentArchetype {
        let component = try reader.string()
        let idCount = try reader.count(elementSize: 4)
        var entities: [UInt32] = []
        entities.reserveCapacity(idCount)
        for _ in 0..<idCount { entities.append(try reader.integer()) }
        let variant: UInt32 = try reader.integer()
        switch variant {
        case 1:
            return ComponentArchetype(component: component, entities: entities, data: .blob(Array(try reader.raw(try reader.count(elementSize: 1)))))
        case 0:
            var names: [String] = []
            for _ in 0..<(try reader.count(elementSize: 8)) { names.append(try reader.string()) }
            var types: [UInt32] = []
            for _ in 0..<(try reader.count(elementSize: 4)) { types.append(try reader.integer()) }
            var columns: [Column] = []
            for _ in 0..<(try reader.count(elementSize: 12)) { columns.append(try readFieldArray(&reader)) }
            guard names.count == types.count, names.count == columns.count else {
                throw .malformed("\(component): \(names.count) field names, \(types.count) types and \(columns.count) arrays")
            }
            for (index, column) in columns.enumerated() {
                guard fieldTypes.indices.contains(Int(types[index])), fieldTypes[Int(types[index])] == column.type else {
                    throw .malformed("\(component).\(names[index]): declared type \(types[index]) but an array of \(column.type)")
                }
                guard column.count == entities.count else {
                    throw .malformed("\(component).\(names[index]): \(column.count) values for \(entities.count) entities")
                }
            }
            return ComponentArchetype(component: component, entities: entities, data: .structOfArrays(Array(zip(names, columns)).map { (name: $0.0, column: $0.1) }))
        default:
            throw .malformed("\(component): data variant \(variant) is neither StructOfArrays (0) nor Blob (1)")
        }
    }

    /// tx2-pack's FieldType order: the u32 tag of a field type and its array.
    static let fieldTypes: [FieldType] = [.bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64, .string, .bytes]

    static func readFieldArray(_ reader: inout BincodeReader) throws(InteropError) -> Column {
        let start = reader.offset
        let tag: UInt32 = try reader.integer()
        guard fieldTypes.indices.contains(Int(tag)) else { throw .malformed("field array type \(tag) at offset \(start) is not 0-12") }
        let type = fieldTypes[Int(tag)]
        if let width = type.width {
            let count = try reader.count(elementSize: width)
            let storage = Array(try reader.raw(count * width))
            if type == .bool, storage.contains(where: { $0 > 1 }) { throw .malformed("a bool array at offset \(start) holds a value other than 0 or 1") }
            do { return try Column(fixedWidth: type, count: count, storage: storage) } catch { throw .world(error) }
        }
        var values: [[UInt8]] = []
        for _ in 0..<(try reader.count(elementSize: 8)) { values.append(Array(try reader.raw(try reader.count(elementSize: 1)))) }
        if type == .string {
            var strings: [String] = []
            for value in values {
                guard let text = String(validating: value, as: UTF8.self) else { throw .malformed("a string in the array at offset \(start) is not UTF-8") }
                strings.append(text)
            }
            return Column(strings: strings)
        }
        return Column(byteStrings: values)
    }
}
