/// The byte layout of a schema and of key/value pairs, shared by the
/// snapshot file's table of contents (docs/FORMAT.md) and the checkpoint
/// store's index records (docs/STORE.md).
extension Schema {
    /// Writes `u32 componentCount`, then per component its name, version and fields.
    package func write(to writer: inout ByteWriter) {
        writer.writeInteger(UInt32(components.count))
        for component in components {
            writer.writeString(component.name)
            writer.writeInteger(component.version)
            writer.writeInteger(UInt32(component.fields.count))
            for field in component.fields {
                writer.writeString(field.name)
                writer.writeInteger(field.type.rawValue)
            }
        }
    }

    /// Reads what ``write(to:)`` wrote and validates it.
    package static func read(from reader: inout ByteReader) throws(PackError) -> Schema {
        let start = reader.offset
        var components: [ComponentType] = []
        let componentCount = try reader.readInteger(as: UInt32.self)
        for _ in 0..<componentCount {
            let name = try reader.readString()
            let version = try reader.readInteger(as: UInt32.self)
            let fieldCount = try reader.readInteger(as: UInt32.self)
            var fields: [Field] = []
            for _ in 0..<fieldCount {
                let fieldName = try reader.readString()
                let position = reader.offset
                let code = try reader.readInteger(as: UInt8.self)
                guard let type = FieldType(rawValue: code) else {
                    throw .malformed(offset: position, reason: "unknown field type \(code)")
                }
                fields.append(Field(fieldName, type))
            }
            components.append(ComponentType(name: name, version: version, fields: fields))
        }
        let schema = Schema(components: components)
        do { try schema.validate() } catch { throw .malformed(offset: start, reason: error.description) }
        return schema
    }
}

/// Writing and reading string key/value pairs: `u32 count`, then each key
/// and value as strings, keys strictly increasing by UTF-8 bytes.
package enum StringPairs {
    package static func write(_ pairs: [String: String], to writer: inout ByteWriter) {
        writer.writeInteger(UInt32(pairs.count))
        for key in pairs.keys.sorted(by: utf8Less) {
            writer.writeString(key)
            writer.writeString(pairs[key]!)
        }
    }

    package static func read(from reader: inout ByteReader) throws(PackError) -> [String: String] {
        var pairs: [String: String] = [:]
        var previous: String?
        let count = try reader.readInteger(as: UInt32.self)
        for _ in 0..<count {
            let position = reader.offset
            let key = try reader.readString()
            if let previous, !utf8Less(previous, key) {
                throw .malformed(offset: position, reason: "keys are not sorted and unique at \"\(key)\"")
            }
            previous = key
            pairs[key] = try reader.readString()
        }
        return pairs
    }
}
