import FoundationEssentials

/// A line of a theme, keys or config file that cannot be used, with where
/// it is: `light.theme:7: unknown colour "grey"`.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// The `KEY = VALUE` lines of a file: blank lines and `#` comments skipped.
func settingLines(_ text: String) -> [(line: Int, key: String, value: String)] {
    var result: [(Int, String, String)] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = raw.trimmingBlanks
        if line.isEmpty || line.hasPrefix("#") { continue }
        guard let equals = line.firstIndex(of: "=") else { result.append((index + 1, line, "")); continue }
        result.append((index + 1, line[..<equals].trimmingBlanks, line[line.index(after: equals)...].trimmingBlanks))
    }
    return result
}
