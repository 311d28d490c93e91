/// The config file (`$XDG_CONFIG_HOME/tickscope/config`): `theme = NAME`,
/// `ascii = true|false`, `speed = N` (checkpoints a second when playing).
/// Command-line options win over it.
public struct ConfigFile: Sendable, Equatable {
    /// `theme = NAME`.
    public var theme: String?
    /// `ascii = true|false`.
    public var ascii: Bool?
    /// `speed = N`, checkpoints a second.
    public var speed: Double?

    /// No settings.
    public init() {}

    /// - Throws: ``ConfigError`` naming the line.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigFile {
        var config = ConfigFile()
        for (line, key, value) in settingLines(text) {
            switch key {
            case "theme" where !value.isEmpty: config.theme = value
            case "ascii" where value == "true" || value == "false": config.ascii = value == "true"
            case "speed":
                guard let speed = Double(value), speed > 0, speed <= 1000 else { throw ConfigError(file: file, line: line, reason: "speed is checkpoints a second, 0 to 1000") }
                config.speed = speed
            default: throw ConfigError(file: file, line: line, reason: "unknown setting \"\(key) = \(value)\" (theme = NAME, ascii = true|false, speed = N)")
            }
        }
        return config
    }
}
