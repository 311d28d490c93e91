import PackCodec

extension PECSFile {
    /// The crate's layout: 24-byte header (`PECS`, u32 version, u32 flags,
    /// u64 entity count, u32 type count), registry entries (u128 id, u32 name
    /// length, name, u32 version), entity records (u128 stable id, u32
    /// component count, per component u128 type id, u32 length, bytes), and
    /// the CRC-64/WE of everything before it as the last 8 bytes.
    static func readCrate(_ bytes: [UInt8]) throws(InteropError) -> PECSFile {
        guard bytes.count >= 32 else { throw .malformed("\(bytes.count) bytes is shorter than a PECS header and footer") }
        var reader = PECSReader(bytes)
        try reader.seek(to: 4, "the version")
        let version: UInt32 = try reader.integer("the version")
        guard version >= 1 else { throw .malformed("version 0 at offset 4") }
        let flags: UInt32 = try reader.integer("the flags")
        let entityCount: UInt64 = try reader.integer("the entity count")
        let typeCount: UInt32 = try reader.integer("the type count")
        let body = bytes.count - 8
        guard UInt64(typeCount) <= UInt64(body - reader.offset) / 24 else { throw .malformed("a type count of \(typeCount) at offset 20 does not fit in the file") }
        var file = PECSFile(layout: .crate, version: version, flags: flags, types: [], entities: [])
        for index in 0..<Int(typeCount) {
            let id = try reader.id("type \(index)")
            let length: UInt32 = try reader.integer("type \(index)")
            let name = try reader.name(Int(length), "the name of type \(index)")
            file.types.append(TypeEntry(id: id, name: name, version: try reader.integer("type \(index)")))
        }
        let known = Set(file.types.map(\.id))
        guard entityCount <= UInt64(max(0, body - reader.offset)) / 20 else {
            throw .malformed("an entity count of \(entityCount) at offset 12 does not fit in the file")
        }
        for index in 0..<Int(entityCount) {
            let start = reader.offset
            var entity = Entity(stableID: try reader.id("entity \(index)"), components: [])
            let count: UInt32 = try reader.integer("entity \(index)")
            guard UInt64(count) <= UInt64(max(0, body - reader.offset)) / 20 else { throw .malformed("entity \(index) at offset \(start) claims \(count) components") }
            for _ in 0..<count {
                let type = try reader.id("a component of entity \(index)")
                guard known.contains(type) else { throw .malformed("entity \(index): component type \(type) at offset \(reader.offset - 16) is not in the type registry") }
                let length: UInt32 = try reader.integer("a component of entity \(index)")
                entity.components.append((type, Array(try reader.take(Int(length), "a component of entity \(index)"))))
            }
            file.entities.append(entity)
        }
        guard reader.offset == body else {
            throw .malformed(reader.offset > body ? "the records run into the 8-byte footer" : "\(body - reader.offset) bytes between the last record and the footer")
        }
        let stored = try reader.u64(at: body, "the footer"), actual = CRC64WE.checksum(bytes[0..<body])
        guard stored == actual else { throw .malformed("the CRC-64 of the file is \(String(actual, radix: 16)), the footer says \(String(stored, radix: 16)): the file is damaged") }
        return file
    }

    func encodedCrate() -> [UInt8] {
        var writer = PECSWriter()
        writer.bytes.append(contentsOf: Self.magic)
        writer.integer(version)
        writer.integer(flags)
        writer.integer(UInt64(entities.count))
        writer.integer(UInt32(types.count))
        for type in types {
            writer.id(type.id)
            writer.integer(UInt32(type.name.utf8.count))
            writer.bytes.append(contentsOf: type.name.utf8)
            writer.integer(type.version)
        }
        for entity in entities {
            writer.id(entity.stableID)
            writer.integer(UInt32(entity.components.count))
            for component in entity.components {
                writer.id(component.type)
                writer.integer(UInt32(component.data.count))
                writer.bytes.append(contentsOf: component.data)
            }
        }
        writer.integer(CRC64WE.checksum(writer.bytes))
        return writer.bytes
    }

    /// The file's bytes in its layout.
    public func encoded() -> [UInt8] { layout == .crate ? encodedCrate() : encodedADR() }
}
