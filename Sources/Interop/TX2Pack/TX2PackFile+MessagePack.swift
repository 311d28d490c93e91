import PackCodec

/// tx2-pack's MessagePack payload (header format 1), as rmp-serde writes
/// `PackedSnapshot`: `[header, archetypes, entity_metadata]` with the header
/// a 14-element array, enums by variant name, byte arrays as integer arrays.
extension TX2PackFile {
    static let formatNames = ["Bincode", "MessagePack", "Custom"]
    static let compressionNames = ["None", "Zstd", "Lz4"]
    static let fieldTypeNames = ["Bool", "I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64", "F32", "F64", "String", "Bytes"]

    /// Decodes a MessagePack payload into the header copy, archetypes and
    /// entity metadata of `file`.
    static func readMessagePack(_ payload: [UInt8], into file: inout TX2PackFile) throws(InteropError) {
        var reader = MessagePackReader(payload)
        guard case .array(let top) = try reader.value(), top.count == 3 else { throw .malformed("the MessagePack payload is not a 3-element PackedSnapshot") }
        file.innerHeader = try header(top[0])
        guard case .array(let archetypes) = top[1] else { throw .malformed("MessagePack archetypes are not an array") }
        for value in archetypes { file.archetypes.append(try archetype(value)) }
        guard case .map(let metadata) = top[2] else { throw .malformed("MessagePack entity_metadata is not a map") }
        for (key, value) in metadata {
            guard let id = key.unsigned.flatMap({ UInt32(exactly: $0) }), case .array(let fields) = value, fields.count == 3,
                let created = fields[0].signed, let modified = fields[1].signed, case .array(let tags) = fields[2]
            else { throw .malformed("a MessagePack entity_metadata entry is not [created_at, modified_at, tags]") }
            file.entityMetadata.append((id, EntityMetadata(createdAt: created, modifiedAt: modified, tags: try tags.map { (tag) throws(InteropError) -> String in
                guard case .string(let s) = tag else { throw .malformed("a MessagePack tag is not a string") }
                return s
            })))
        }
    }

    private static func header(_ value: MessagePackValue) throws(InteropError) -> Header {
        guard case .array(let f) = value, f.count == 14 else { throw .malformed("the MessagePack header is not a 14-element array") }
        func bytes(_ v: MessagePackValue, _ count: Int) throws(InteropError) -> [UInt8] {
            guard case .array(let items) = v, items.count == count else { throw .malformed("a MessagePack byte array is not \(count) long") }
            return try items.map { (item) throws(InteropError) -> UInt8 in
                guard let b = item.unsigned.flatMap({ UInt8(exactly: $0) }) else { throw .malformed("a MessagePack byte is not 0-255") }
                return b
            }
        }
        func name(_ v: MessagePackValue, _ names: [String]) throws(InteropError) -> UInt32 {
            guard case .string(let s) = v, let index = names.firstIndex(of: s) else { throw .malformed("MessagePack enum \(v) is not one of \(names.joined(separator: ", "))") }
            return UInt32(index)
        }
        func u64(_ v: MessagePackValue) throws(InteropError) -> UInt64 {
            guard let n = v.unsigned else { throw .malformed("a MessagePack header count is not an unsigned integer") }
            return n
        }
        guard try bytes(f[0], 8) == magic else { throw .malformed("the MessagePack header has no TX2PACK magic") }
        var header = Header()
        guard let version = f[1].unsigned.flatMap({ UInt32(exactly: $0) }) else { throw .malformed("the MessagePack header version is not a u32") }
        header.version = version
        header.format = try name(f[2], formatNames)
        header.compression = try name(f[3], compressionNames)
        guard case .bool(let encrypted) = f[4] else { throw .malformed("the MessagePack header's encrypted flag is not a bool") }
        header.encrypted = encrypted
        header.checksum = try bytes(f[5], 32)
        guard let timestamp = f[6].signed else { throw .malformed("the MessagePack timestamp is not an integer") }
        header.timestamp = timestamp
        header.entityCount = try u64(f[7]); header.componentCount = try u64(f[8]); header.archetypeCount = try u64(f[9])
        header.dataOffset = try u64(f[10]); header.dataSize = try u64(f[11]); header.metadataOffset = try u64(f[12]); header.metadataSize = try u64(f[13])
        return header
    }

    private static func archetype(_ value: MessagePackValue) throws(InteropError) -> ComponentArchetype {
        guard case .array(let f) = value, f.count == 3, case .string(let component) = f[0], case .array(let idValues) = f[1],
            case .map(let data) = f[2], data.count == 1, case .string(let variant) = data[0].0
        else { throw .malformed("a MessagePack component archetype is not [component_id, entity_ids, data]") }
        let ids = try idValues.map { (v) throws(InteropError) -> UInt32 in
            guard let id = v.unsigned.flatMap({ UInt32(exactly: $0) }) else { throw .malformed("\(component): an entity id is not a u32") }
            return id
        }
        switch (variant, data[0].1) {
        case ("Blob", .array(let items)):
            return ComponentArchetype(component: component, entities: ids, data: .blob(try items.map { (v) throws(InteropError) -> UInt8 in
                guard let b = v.unsigned.flatMap({ UInt8(exactly: $0) }) else { throw .malformed("\(component): a blob byte is not 0-255") }
                return b
            }))
        case ("Blob", .binary(let bytes)):
            return ComponentArchetype(component: component, entities: ids, data: .blob(bytes))
        case ("StructOfArrays", .array(let soa)) where soa.count == 3:
            guard case .array(let names) = soa[0], case .array(let types) = soa[1], case .array(let arrays) = soa[2],
                names.count == types.count, names.count == arrays.count
            else { throw .malformed("\(component): field names, types and arrays disagree") }
            var fields: [(name: String, column: Column)] = []
            for index in names.indices {
                guard case .string(let fieldName) = names[index], case .string(let typeName) = types[index],
                    let tag = fieldTypeNames.firstIndex(of: typeName), case .map(let array) = arrays[index], array.count == 1,
                    array[0].0 == .string(typeName), case .array(let values) = array[0].1
                else { throw .malformed("\(component): field \(index) is not a name, a type and an array of that type") }
                let column = try self.column(values, type: fieldTypes[tag], label: "\(component).\(fieldName)")
                guard column.count == ids.count else { throw .malformed("\(component).\(fieldName): \(column.count) values for \(ids.count) entities") }
                fields.append((fieldName, column))
            }
            return ComponentArchetype(component: component, entities: ids, data: .structOfArrays(fields))
        default:
            throw .malformed("\(component): data variant \(variant) is neither StructOfArrays nor Blob")
        }
    }

    private static func column(_ values: [MessagePackValue], type: FieldType, label: String) throws(InteropError) -> Column {
        func bad() -> InteropError { .malformed("\(label): a value is not a \(type)") }
        switch type {
        case .bool: return Column(try values.map { (v) throws(InteropError) -> Bool in guard case .bool(let b) = v else { throw bad() }; return b })
        case .float32: return Column(try values.map { (v) throws(InteropError) -> Float in
            switch v { case .float32(let f): return f; case .float64(let d): return Float(d); default: throw bad() } })
        case .float64: return Column(try values.map { (v) throws(InteropError) -> Double in
            switch v { case .float64(let d): return d; case .float32(let f): return Double(f); default: throw bad() } })
        case .string: return Column(strings: try values.map { (v) throws(InteropError) -> String in guard case .string(let s) = v else { throw bad() }; return s })
        case .bytes: return Column(byteStrings: try values.map { (v) throws(InteropError) -> [UInt8] in
            switch v {
            case .binary(let b): return b
            case .array(let items): return try items.map { (i) throws(InteropError) -> UInt8 in guard let b = i.unsigned.flatMap({ UInt8(exactly: $0) }) else { throw bad() }; return b }
            default: throw bad()
            } })
        case .int8: return Column(try values.map { (v) throws(InteropError) -> Int8 in guard let n = v.signed.flatMap({ Int8(exactly: $0) }) else { throw bad() }; return n })
        case .int16: return Column(try values.map { (v) throws(InteropError) -> Int16 in guard let n = v.signed.flatMap({ Int16(exactly: $0) }) else { throw bad() }; return n })
        case .int32: return Column(try values.map { (v) throws(InteropError) -> Int32 in guard let n = v.signed.flatMap({ Int32(exactly: $0) }) else { throw bad() }; return n })
        case .int64: return Column(try values.map { (v) throws(InteropError) -> Int64 in guard let n = v.signed else { throw bad() }; return n })
        case .uint8: return Column(try values.map { (v) throws(InteropError) -> UInt8 in guard let n = v.unsigned.flatMap({ UInt8(exactly: $0) }) else { throw bad() }; return n })
        case .uint16: return Column(try values.map { (v) throws(InteropError) -> UInt16 in guard let n = v.unsigned.flatMap({ UInt16(exactly: $0) }) else { throw bad() }; return n })
        case .uint32: return Column(try values.map { (v) throws(InteropError) -> UInt32 in guard let n = v.unsigned.flatMap({ UInt32(exactly: $0) }) else { throw bad() }; return n })
        case .uint64: return Column(try values.map { (v) throws(InteropError) -> UInt64 in guard let n = v.unsigned else { throw bad() }; return n })
        }
    }

    /// The payload as MessagePack.
    func messagePackPayload() -> [UInt8] {
        func bytes(_ b: [UInt8]) -> MessagePackValue { .array(b.map { .uint(UInt64($0)) }) }
        let h = innerHeader
        let header: MessagePackValue = .array([
            bytes(Self.magic), .uint(UInt64(h.version)), .string(Self.formatNames[Int(min(h.format, 2))]),
            .string(Self.compressionNames[Int(min(h.compression, 2))]), .bool(h.encrypted), bytes(h.checksum), .int(h.timestamp),
            .uint(h.entityCount), .uint(h.componentCount), .uint(h.archetypeCount), .uint(h.dataOffset), .uint(h.dataSize),
            .uint(h.metadataOffset), .uint(h.metadataSize),
        ])
        let archetypeValues: [MessagePackValue] = archetypes.map { archetype in
            let data: MessagePackValue
            switch archetype.data {
            case .blob(let b): data = .map([(.string("Blob"), bytes(b))])
            case .structOfArrays(let fields):
                let arrays: [MessagePackValue] = fields.map { field in
                    let name = Self.fieldTypeNames[Self.fieldTypes.firstIndex(of: field.column.type)!]
                    let values: [MessagePackValue] = (0..<field.column.count).map { row in
                        switch field.column.value(at: row) {
                        case .bool(let v): .bool(v)
                        case .int(let v): .int(v)
                        case .uint(let v): .uint(v)
                        case .float32(let v): .float32(v)
                        case .float64(let v): .float64(v)
                        case .string(let v): .string(v)
                        case .bytes(let v): bytes(v)
                        }
                    }
                    return .map([(.string(name), .array(values))])
                }
                data = .map([(.string("StructOfArrays"), .array([
                    .array(fields.map { .string($0.name) }),
                    .array(fields.map { .string(Self.fieldTypeNames[Self.fieldTypes.firstIndex(of: $0.column.type)!]) }),
                    .array(arrays),
                ]))])
            }
            return .array([.string(archetype.component), .array(archetype.entities.map { .uint(UInt64($0)) }), data])
        }
        let metadata: MessagePackValue = .map(entityMetadata.map { (.uint(UInt64($0.entity)), .array([.int($0.metadata.createdAt), .int($0.metadata.modifiedAt), .array($0.metadata.tags.map { .string($0) })])) })
        var writer = MessagePackWriter()
        writer.write(.array([header, .array(archetypeValues), metadata]))
        return writer.bytes
    }
}
