import PackCodec

extension PECSFile {
    /// ADR-007's layout, as specified in docs/FORMATS.md (where the ADR is
    /// silent or contradicts itself, the choices are written there).
    static func readADR(_ bytes: [UInt8]) throws(InteropError) -> PECSFile {
        var reader = PECSReader(bytes)
        try reader.seek(to: 4, "the version")
        let major: UInt16 = try reader.integer("the version")
        let minor: UInt16 = try reader.integer("the version")
        let flags: UInt32 = try reader.integer("the flags")
        guard flags & 0x0B == 0 else { throw .malformed("flags 0x\(String(flags, radix: 16)) at offset 8: compressed, encrypted or big-endian files are not read") }
        let entityCount: UInt64 = try reader.integer("the entity count")
        let archetypeCount: UInt32 = try reader.integer("the archetype count")
        let typeCount: UInt32 = try reader.integer("the type count")
        let resourceCount: UInt32 = try reader.integer("the resource count")
        let timestamp: UInt64 = try reader.integer("the timestamp")
        try reader.seek(to: 64, "the type registry")
        let footer = bytes.count - 32
        guard bytes[(bytes.count - 8)...].allSatisfy({ $0 == 0 }) else { throw .malformed("the footer's reserved bytes at offset \(bytes.count - 8) are not zero") }
        let checksumType = UInt32(try reader.u64(at: footer, "the footer") & 0xFFFF_FFFF)
        let stored = try reader.u64(at: footer + 4, "the footer")
        let actual: UInt64
        switch checksumType {
        case 1: actual = UInt64(CRC32.checksum(Array(bytes[0..<footer])))
        case 2: actual = CRC64WE.checksum(bytes[0..<footer])
        default: throw .malformed("checksum type \(checksumType) at offset \(footer) is not 1 (CRC-32) or 2 (CRC-64/WE)")
        }
        guard stored == actual else { throw .malformed("the checksum of the file is \(String(actual, radix: 16)), the footer says \(String(stored, radix: 16)): the file is damaged") }
        var file = PECSFile(layout: .adr007, version: UInt32(major), minorVersion: minor, flags: flags, timestamp: timestamp, types: [], entities: [])
        // Type registry.
        let registryCount: UInt32 = try reader.integer("the type registry")
        _ = try reader.integer("the type registry", UInt64.self)
        guard registryCount == typeCount, UInt64(typeCount) <= UInt64(footer - reader.offset) / 30 else {
            throw .malformed("the type registry holds \(registryCount) types, the header \(typeCount)")
        }
        for index in 0..<Int(typeCount) {
            let id = try reader.id("type \(index)")
            let length: UInt16 = try reader.integer("type \(index)")
            let name = try reader.name(Int(length), "the name of type \(index)")
            file.types.append(TypeEntry(id: id, name: name, version: try reader.integer("type \(index)"),
                                            flags: try reader.integer("type \(index)"), sizeHint: try reader.integer("type \(index)")))
        }
        let known = Set(file.types.map(\.id))
        // Archetype table.
        let tableCount: UInt32 = try reader.integer("the archetype table")
        _ = try reader.integer("the archetype table", UInt64.self)
        guard tableCount == archetypeCount, UInt64(archetypeCount) <= UInt64(footer - reader.offset) / 38 else {
            throw .malformed("the archetype table holds \(tableCount) archetypes, the header \(archetypeCount)")
        }
        var total: UInt64 = 0
        // The resource section follows the entity data, which follows the table.
        var dataEnd = 0
        for index in 0..<Int(archetypeCount) {
            _ = try reader.integer("archetype \(index)", UInt64.self)
            let count: UInt32 = try reader.integer("archetype \(index)")
            let componentCount: UInt16 = try reader.integer("archetype \(index)")
            var types: [ID128] = []
            for _ in 0..<componentCount {
                let type = try reader.id("archetype \(index)")
                guard known.contains(type) else { throw .malformed("archetype \(index): component type \(type) is not in the type registry") }
                types.append(type)
            }
            let offset: UInt64 = try reader.integer("archetype \(index)")
            let size: UInt64 = try reader.integer("archetype \(index)")
            guard offset <= UInt64(footer), size <= UInt64(footer) - offset else {
                throw .malformed("archetype \(index): its data (\(size) bytes at \(offset)) lies outside the file")
            }
            dataEnd = max(dataEnd, Int(offset + size))
            var data = PECSReader(Array(bytes[Int(offset)..<Int(offset + size)]))
            guard UInt64(count) <= size / 16 else { throw .malformed("archetype \(index): \(count) entities do not fit in \(size) bytes") }
            var ids: [ID128] = []
            for _ in 0..<count { ids.append(try data.id("the stable ids of archetype \(index)")) }
            var columns: [[UInt8]] = []
            for type in types {
                let id = try data.id("the data of archetype \(index)")
                guard id == type else { throw .malformed("archetype \(index): component data for \(id) where the table lists \(type)") }
                let length: UInt64 = try data.integer("the data of archetype \(index)")
                guard length <= UInt64(data.bytes.count - data.offset), count == 0 || length % UInt64(count) == 0 else {
                    throw .malformed("archetype \(index): \(length) bytes of \(type) for \(count) entities")
                }
                columns.append(Array(try data.take(Int(length), "the data of archetype \(index)")))
            }
            for (row, id) in ids.enumerated() {
                let parts = zip(types, columns).map { type, column in
                    let width = column.count / max(1, Int(count))
                    return (type: type, data: Array(column[row * width..<(row + 1) * width]))
                }
                file.entities.append(Entity(stableID: id, components: parts))
            }
            total += UInt64(count)
        }
        guard total == entityCount else { throw .malformed("the archetypes hold \(total) entities, the header \(entityCount)") }
        try reader.seek(to: max(reader.offset, dataEnd), "the resources")
        let resources: UInt32 = try reader.integer("the resources")
        guard resources == resourceCount else { throw .malformed("the resource section holds \(resources) resources, the header \(resourceCount)") }
        for index in 0..<Int(resources) {
            let type = try reader.id("resource \(index)")
            let length: UInt32 = try reader.integer("resource \(index)")
            file.resources.append((type, Array(try reader.take(Int(length), "resource \(index)"))))
        }
        guard reader.offset == footer else { throw .malformed("\(footer - reader.offset) bytes between the resources and the footer") }
        return file
    }

    func encodedADR() -> [UInt8] {
        // Archetypes: entities grouped by their component types, in order of
        // first appearance.
        var groups: [[ID128]] = []
        var members: [[ID128]: [Entity]] = [:]
        for entity in entities {
            let key = entity.components.map(\.type)
            if members[key] == nil { groups.append(key) }
            members[key, default: []].append(entity)
        }
        var registry = PECSWriter()
        for type in types {
            registry.id(type.id)
            registry.integer(UInt16(type.name.utf8.count))
            registry.bytes.append(contentsOf: type.name.utf8)
            registry.integer(type.version)
            registry.integer(type.flags)
            registry.integer(type.sizeHint)
        }
        let tableEntrySizes = groups.map { 8 + 4 + 2 + 16 * $0.count + 16 }
        let dataStart = 64 + 12 + registry.bytes.count + 12 + tableEntrySizes.reduce(0, +)
        var data: [[UInt8]] = []
        for key in groups {
            var block = PECSWriter()
            let rows = members[key]!
            for entity in rows { block.id(entity.stableID) }
            for (index, type) in key.enumerated() {
                block.id(type)
                let column = rows.flatMap { $0.components[index].data }
                block.integer(UInt64(column.count))
                block.bytes.append(contentsOf: column)
            }
            data.append(block.bytes)
        }
        var writer = PECSWriter()
        writer.bytes.append(contentsOf: Self.magic)
        writer.integer(UInt16(version))
        writer.integer(minorVersion)
        writer.integer(flags)
        writer.integer(UInt64(entities.count))
        writer.integer(UInt32(groups.count))
        writer.integer(UInt32(types.count))
        writer.integer(UInt32(resources.count))
        writer.integer(timestamp)
        writer.bytes.append(contentsOf: [UInt8](repeating: 0, count: 24))
        writer.integer(UInt32(types.count))
        writer.integer(UInt64(12 + registry.bytes.count))
        writer.bytes.append(contentsOf: registry.bytes)
        writer.integer(UInt32(groups.count))
        writer.integer(UInt64(12 + tableEntrySizes.reduce(0, +)))
        var offset = dataStart
        for (index, key) in groups.enumerated() {
            writer.integer(UInt64(index))
            writer.integer(UInt32(members[key]!.count))
            writer.integer(UInt16(key.count))
            for type in key { writer.id(type) }
            writer.integer(UInt64(offset))
            writer.integer(UInt64(data[index].count))
            offset += data[index].count
        }
        for block in data { writer.bytes.append(contentsOf: block) }
        writer.integer(UInt32(resources.count))
        for resource in resources {
            writer.id(resource.type)
            writer.integer(UInt32(resource.data.count))
            writer.bytes.append(contentsOf: resource.data)
        }
        let checksum = CRC64WE.checksum(writer.bytes)
        writer.integer(UInt32(2))
        writer.integer(checksum)
        writer.integer(UInt64(writer.bytes.count + 8 + 4 + 8))
        writer.bytes.append(contentsOf: Self.endMagic)
        writer.bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        return writer.bytes
    }
}
