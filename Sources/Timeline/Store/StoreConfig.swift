/// A store's settings, kept in its `CONFIG` side file: one `KEY VALUE` line
/// each, for example `resume python3 sim.py --resume {store}@{branch}`
/// (docs/STORE.md). Settings this version does not know are kept as they
/// are.
public struct StoreConfig: Equatable, Sendable {
    /// The side file's name.
    public static let fileName = "CONFIG"

    /// The settings this version knows, with what they are for.
    public static let known: [String: String] = [
        "resume": "the shell command that carries a branch on ({store} and {branch} are filled in); the debugger's R runs it",
    ]

    /// The settings, by key, in the order they are written.
    public private(set) var values: [(key: String, value: String)] = []

    public static func == (a: StoreConfig, b: StoreConfig) -> Bool { a.values.elementsEqual(b.values) { $0 == $1 } }

    /// An empty configuration.
    public init() {}

    /// Parses `CONFIG`'s bytes.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` naming the line that
    ///   is not `KEY VALUE` or not UTF-8.
    public init(parsing bytes: [UInt8], path: String) throws(TimelineError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidRequest("\(path): not UTF-8 text") }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let space = line.firstIndex(of: " "), Self.isKey(line[..<space]) else {
                throw .invalidRequest("\(path): line \(number + 1) is not KEY VALUE")
            }
            values.append((String(line[..<space]), String(line[line.index(after: space)...])))
        }
    }

    /// The value of `key`, or `nil`.
    public subscript(key: String) -> String? {
        values.last { $0.key == key }?.value
    }

    /// Sets `key` to `value` (`nil` removes it).
    /// - Throws: ``TimelineError/invalidRequest(_:)`` for a key that is not
    ///   lowercase letters and dashes, or a value with a line break.
    public mutating func set(_ key: String, to value: String?) throws(TimelineError) {
        guard Self.isKey(Substring(key)) else { throw .invalidRequest("\(key) is not a setting name (lowercase letters and dashes)") }
        if let value, value.contains(where: \.isNewline) { throw .invalidRequest("a setting is one line") }
        if let index = values.firstIndex(where: { $0.key == key }) {
            if let value { values[index].value = value } else { values.remove(at: index) }
        } else if let value {
            values.append((key, value))
        }
    }

    /// The bytes of `CONFIG`.
    public var bytes: [UInt8] { Array(values.map { "\($0.key) \($0.value)\n" }.joined().utf8) }

    private static func isKey(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }
    }
}

extension CheckpointStore {
    /// The store's settings (empty when it has no `CONFIG`).
    /// - Throws: ``TimelineError`` naming the file when it cannot be read
    ///   or parsed.
    public func config() throws(TimelineError) -> StoreConfig {
        guard let bytes = try sideFiles.read(StoreConfig.fileName) else { return StoreConfig() }
        return try StoreConfig(parsing: bytes, path: path + "/" + StoreConfig.fileName)
    }

    /// Sets one setting (`nil` removes it), keeping what other sessions
    /// wrote meanwhile.
    public func setConfig(_ key: String, to value: String?) throws(TimelineError) {
        try sideFiles.update(StoreConfig.fileName) { (current) throws(TimelineError) -> [UInt8] in
            var config = try current.map { (bytes) throws(TimelineError) in try StoreConfig(parsing: bytes, path: path + "/" + StoreConfig.fileName) } ?? StoreConfig()
            try config.set(key, to: value)
            return config.bytes
        }
    }
}
