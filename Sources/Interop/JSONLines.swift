import PackCodec

/// The JSON Lines form of a snapshot (`docs/JSONL.md`): a header line with
/// the schema, resources and metadata, then one line per entity. Any
/// language can write it; `tickscope pack` turns it into a native file.
///
/// Values are exact: integers are written in full, floats as the shortest
/// decimal that reads back to the same bits, non-finite floats as the
/// strings `"nan"`, `"inf"`, `"-inf"`, and NaNs other than the default one as
/// `"nan:0x…"` with the bit pattern.
public enum JSONLines {
    /// The `format` value of the header line.
    public static let formatName = "tickscope-jsonl"
    /// The `version` value of the header line.
    public static let version = 1

    /// Writes `snapshot` as lines (without newlines) to `emit`, archetype by
    /// archetype, entities in stored order.
    /// - Parameter checkpoint: for a timeline, the header's `checkpoint`
    ///   member (name, description, tags, custom, branch).
    public static func encode(_ snapshot: Snapshot, checkpoint: JSONValue? = nil, emit: (String) throws -> Void) rethrows {
        var header = header(for: snapshot)
        if let checkpoint, case .object(var members) = header {
            members.append(("checkpoint", checkpoint))
            header = .object(members)
        }
        try emit(header.text)
        for archetype in snapshot.archetypes {
            for row in 0..<archetype.count {
                var members: [(String, JSONValue)] = [("id", .number(String(archetype.entities[row].rawValue)))]
                var column = 0
                for component in archetype.components {
                    var fields: [(String, JSONValue)] = []
                    for field in component.fields {
                        fields.append((field.name, json(archetype.columns[column].value(at: row))))
                        column += 1
                    }
                    members.append((component.name, .object(fields)))
                }
                try emit(JSONValue.object(members).text)
            }
        }
    }

    /// Whether `line` starts a new snapshot: it is a JSON object with a
    /// `format` member. This is the rule ``decodeTimeline(_:)`` applies, so
    /// a reader that splits a stream into snapshots (`record --stdin`)
    /// splits it where `import` would; a string value that happens to read
    /// `"tickscope-jsonl"` does not start a snapshot.
    ///
    /// ```swift
    /// JSONLines.startsSnapshot(Array(#"{"format":"tickscope-jsonl","version":1,"schema":[]}"#.utf8)) // true
    /// JSONLines.startsSnapshot(Array(#"{"id":1,"Name":{"text":"tickscope-jsonl"}}"#.utf8))          // false
    /// ```
    public static func startsSnapshot(_ line: some Collection<UInt8>) -> Bool {
        // Most lines are entities: only a line that spells `"format"` or
        // has an escape (a key may be written `"form\u0061t"`) is parsed.
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let key = Array("\"format\"".utf8)
        var mayBeHeader = false
        var matched = 0
        for byte in line {
            if byte == backslash { mayBeHeader = true; break }
            if byte == key[matched] {
                matched += 1
                if matched == key.count { mayBeHeader = true; break }
            } else {
                matched = byte == quote ? 1 : 0
            }
        }
        guard mayBeHeader, let value = try? JSONParser.parse(line) else { return false }
        return value["format"] != nil
    }

    /// Reads a snapshot from JSON Lines text. Entities that have the same set
    /// of components form one archetype. Archetypes the header lists come
    /// first, in its order (so archetypes without entities survive); others
    /// follow in the order of their first entity. Entities keep line order.
    /// Blank lines are skipped.
    /// - Throws: ``InteropError`` naming the line and what is wrong, also
    ///   for a second header (a timeline: see ``decodeTimeline(_:)``).
    public static func decode(_ text: [UInt8]) throws(InteropError) -> Snapshot {
        let sections = try decodeTimeline(text)
        guard sections.count == 1 else {
            throw .jsonLines(line: sections[1].line, reason: "a second header: this is a timeline (import it with `tickscope import --format jsonl`)")
        }
        return sections[0].snapshot
    }

    /// Reads a timeline: snapshots one after another, each starting with its
    /// header line (which may carry a `checkpoint` member).
    /// - Returns: each snapshot, its header's `checkpoint` member, and the
    ///   line its header is on.
    public static func decodeTimeline(_ text: [UInt8]) throws(InteropError) -> [(snapshot: Snapshot, checkpoint: JSONValue?, line: Int)] {
        var sections: [(snapshot: Snapshot, checkpoint: JSONValue?, line: Int)] = []
        var lineNumber = 0
        var snapshot: Snapshot?
        var checkpoint: JSONValue?
        var headerLine = 0
        var archetypeIndex: [[Int]: Int] = [:]
        func finish() throws(InteropError) {
            guard let current = snapshot else { return }
            do { try current.validate() } catch { throw .world(error) }
            sections.append((current, checkpoint, headerLine))
        }
        var start = 0
        while start < text.count {
            let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
            var line = text[start..<end]
            start = end + 1
            lineNumber += 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch { throw .jsonLines(line: lineNumber, reason: error.description) }
            let isHeader = snapshot == nil || value["format"] != nil
            if isHeader { try finish() }
            do throws(JSONLinesProblem) {
                if isHeader {
                    snapshot = try readHeader(value)
                    checkpoint = value["checkpoint"]
                    headerLine = lineNumber
                    archetypeIndex = [:]
                    for (index, archetype) in snapshot!.archetypes.enumerated() {
                        archetypeIndex[archetype.components.map { snapshot!.schema.componentIndex(named: $0.name)! }] = index
                    }
                } else {
                    try readEntity(value, into: &snapshot!, archetypeIndex: &archetypeIndex)
                }
            } catch {
                throw .jsonLines(line: lineNumber, reason: error.reason)
            }
        }
        guard snapshot != nil else { throw .jsonLines(line: max(lineNumber, 1), reason: "no header line") }
        try finish()
        return sections
    }

    // MARK: Header

    static func header(for snapshot: Snapshot) -> JSONValue {
        let components: [JSONValue] = snapshot.schema.components.map { component in
            .object([
                ("name", .string(component.name)),
                ("version", .number(String(component.version))),
                ("fields", .array(component.fields.map { .object([("name", .string($0.name)), ("type", .string($0.type.name))]) })),
            ])
        }
        let resources = snapshot.resources
        return .object([
            ("format", .string(formatName)),
            ("version", .number(String(version))),
            ("schema", .array(components)),
            ("resources", .object([
                ("tick", .number(String(resources.tick))),
                ("world_time", json(.float64(resources.worldTime))),
                ("seed", .number(String(resources.seed))),
                ("custom", stringMap(resources.custom)),
            ])),
            ("metadata", stringMap(snapshot.metadata)),
            ("archetypes", .array(snapshot.archetypes.map { .array($0.components.map { .string($0.name) }) })),
        ])
    }

    private static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { ($0, .string(map[$0]!)) })
    }

    private static func readHeader(_ value: JSONValue) throws(JSONLinesProblem) -> Snapshot {
        guard value["format"] == .string(formatName) else { throw .init("the first line must be a header with \"format\": \"\(formatName)\"") }
        guard case .number(let versionText)? = value["version"], Int(versionText) == version else {
            throw .init("unsupported version \(value["version"]?.text ?? "(missing)"); this tickscope reads \(version)")
        }
        guard case .array(let componentValues)? = value["schema"] else { throw .init("header lacks a \"schema\" array") }
        var components: [ComponentType] = []
        for componentValue in componentValues {
            guard case .string(let name)? = componentValue["name"] else { throw .init("a component lacks a \"name\"") }
            var componentVersion: UInt32 = 1
            if let versionValue = componentValue["version"] {
                guard case .number(let text) = versionValue, let parsed = UInt32(text) else { throw .init("component \(name): bad version") }
                componentVersion = parsed
            }
            guard case .array(let fieldValues)? = componentValue["fields"] else { throw .init("component \(name) lacks a \"fields\" array") }
            var fields: [Field] = []
            for fieldValue in fieldValues {
                guard case .string(let fieldName)? = fieldValue["name"], case .string(let typeName)? = fieldValue["type"] else {
                    throw .init("a field of \(name) lacks \"name\" or \"type\"")
                }
                guard let type = FieldType(name: typeName) else {
                    throw .init("field \(name).\(fieldName) has unknown type \"\(typeName)\" (known: \(FieldType.allCases.map(\.name).joined(separator: ", ")))")
                }
                fields.append(Field(fieldName, type))
            }
            components.append(ComponentType(name: name, version: componentVersion, fields: fields))
        }
        let schema = Schema(components: components)
        do { try schema.validate() } catch { throw .init(error.description) }
        var resources = Resources()
        if let resourceValue = value["resources"] {
            if let tick = resourceValue["tick"] { resources.tick = try uint64(tick, "resources.tick") }
            if let seed = resourceValue["seed"] { resources.seed = try uint64(seed, "resources.seed") }
            if let time = resourceValue["world_time"] {
                guard case .float64(let parsed) = try fieldValue(time, type: .float64, name: "resources.world_time") else { throw .init("bad world_time") }
                resources.worldTime = parsed
            }
            if let custom = resourceValue["custom"] { resources.custom = try strings(custom, "resources.custom") }
        }
        let metadata = try value["metadata"].map { (metadata) throws(JSONLinesProblem) in try strings(metadata, "metadata") } ?? [:]
        var snapshot = Snapshot(schema: schema, resources: resources, metadata: metadata)
        if let declared = value["archetypes"] {
            guard case .array(let sets) = declared else { throw .init("\"archetypes\" must be an array of component-name arrays") }
            for set in sets {
                guard case .array(let names) = set else { throw .init("\"archetypes\" must be an array of component-name arrays") }
                var indices: [Int] = []
                for name in names {
                    guard case .string(let text) = name, let index = schema.componentIndex(named: text) else {
                        throw .init("\"archetypes\" names \(name.text), not a schema component")
                    }
                    indices.append(index)
                }
                indices.sort()
                guard snapshot.archetype(ArchetypeSignature(indices.map { schema.components[$0] })) == nil else {
                    throw .init("\"archetypes\" lists \(names.map(\.text)) twice")
                }
                snapshot.archetypes.append(emptyArchetype(indices, in: schema))
            }
        }
        return snapshot
    }

    private static func emptyArchetype(_ indices: [Int], in schema: Schema) -> Archetype {
        let components = indices.map { schema.components[$0] }
        return Archetype(components: components, entities: [], columns: components.flatMap { $0.fields.map { Column(type: $0.type) } })
    }

    private static func uint64(_ value: JSONValue, _ name: String) throws(JSONLinesProblem) -> UInt64 {
        guard case .number(let text) = value, let parsed = UInt64(text) else { throw .init("\(name) must be an unsigned integer") }
        return parsed
    }

    private static func strings(_ value: JSONValue, _ name: String) throws(JSONLinesProblem) -> [String: String] {
        guard case .object(let members) = value else { throw .init("\(name) must be an object of strings") }
        var map: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let text) = member else { throw .init("\(name).\(key) must be a string") }
            guard map.updateValue(text, forKey: key) == nil else { throw .init("\(name).\(key) appears twice") }
        }
        return map
    }

    // MARK: Entities

    private static func readEntity(_ value: JSONValue, into snapshot: inout Snapshot, archetypeIndex: inout [[Int]: Int]) throws(JSONLinesProblem) {
        guard case .object(let members) = value else { throw .init("an entity line must be an object") }
        var id: EntityID?
        var present: [Int: [(String, JSONValue)]] = [:]
        for (key, member) in members {
            if key == "id" {
                id = EntityID(try uint64(member, "id"))
                continue
            }
            guard let index = snapshot.schema.componentIndex(named: key) else { throw .init("unknown component \"\(key)\"") }
            guard case .object(let fields) = member else { throw .init("component \(key) must be an object of fields") }
            guard present.updateValue(fields, forKey: index) == nil else { throw .init("component \(key) appears twice") }
        }
        guard let id else { throw .init("entity lacks an \"id\"") }
        let indices = present.keys.sorted()
        let archetype: Int
        if let existing = archetypeIndex[indices] {
            archetype = existing
        } else {
            snapshot.archetypes.append(emptyArchetype(indices, in: snapshot.schema))
            archetype = snapshot.archetypes.count - 1
            archetypeIndex[indices] = archetype
        }
        var column = 0
        var row: [FieldValue] = []
        for index in indices {
            let component = snapshot.schema.components[index]
            let given = present[index]!
            for (name, _) in given where component.fieldIndex(named: name) == nil {
                throw .init("component \(component.name) has no field \"\(name)\"")
            }
            for field in component.fields {
                guard let fieldJSON = given.first(where: { $0.0 == field.name })?.1 else {
                    throw .init("entity \(id) lacks \(component.name).\(field.name)")
                }
                row.append(try fieldValue(fieldJSON, type: field.type, name: "\(component.name).\(field.name)"))
            }
        }
        for value in row {
            do { try snapshot.archetypes[archetype].columns[column].append(value) } catch { throw .init(error.description) }
            column += 1
        }
        snapshot.archetypes[archetype].entities.append(id)
    }
}

/// One problem on one line, before the line number is attached.
struct JSONLinesProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
