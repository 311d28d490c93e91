/// A tx2-pack `ID.meta.json` (`SnapshotMetadata`): id, name, description,
/// creation time, world time, schema version, custom fields, tags.
public struct TX2PackMetadata: Equatable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    /// Seconds since 1970.
    public var createdAt: Int64
    public var worldTime: Double
    public var custom: [String: String]
    public var tags: [String]

    /// Parses the JSON; unknown keys are ignored, missing ones default as
    /// the crate's `SnapshotMetadata::new` does.
    public init(json: [UInt8]) throws(InteropError) {
        let value: JSONValue
        do { value = try JSONParser.parse(json) } catch { throw .malformed("not JSON: \(error)") }
        guard case .object(let members) = value else { throw .malformed("not a JSON object") }
        func member(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }
        func text(_ key: String) -> String? { if case .string(let s)? = member(key) { s } else { nil } }
        func number(_ key: String) -> String? { if case .number(let n)? = member(key) { n } else { nil } }
        id = text("id") ?? ""
        name = text("name")
        description = text("description")
        createdAt = number("created_at").flatMap { Int64($0) } ?? 0
        worldTime = number("world_time").flatMap { Double($0) } ?? 0
        custom = [:]
        if case .object(let fields)? = member("custom_fields") {
            for (key, value) in fields { if case .string(let s) = value { custom[key] = s } else { throw .malformed("custom field \(key) is not a string") } }
        }
        tags = []
        if case .array(let values)? = member("tags") {
            for value in values { if case .string(let s) = value { tags.append(s) } else { throw .malformed("a tag is not a string") } }
        }
    }
}
