/// Theme files (`Themes/NAME.theme`, or the user's own in
/// `$XDG_CONFIG_HOME/tickscope/themes/`): one `PART = STYLE` line per part
/// of the screen, where STYLE is `FOREGROUND [on BACKGROUND] [bold]
/// [reversed] [underlined]`, colours are `default`, the eight names
/// (`black` … `white`) or a number 0–255, and an optional `| STYLE` after
/// it is used on terminals with fewer than 256 colours. Every part must be
/// given; `box = unicode|ascii` is optional.
public enum ThemeFile {
    /// The parts a theme file sets, in the order documented.
    public static let parts = ["base", "title", "border", "header", "selected", "changed", "spawned", "dim", "status", "error"]

    /// Parses a theme for a terminal with `colors` colours (256 or more
    /// uses the full styles, fewer the `|` fallbacks).
    /// - Throws: ``ConfigError`` naming the line.
    public static func parse(_ text: String, name: String, file: String, colors: Int = 256) throws(ConfigError) -> Theme {
        var styles: [String: Style] = [:]
        var box = BoxCharacters.unicode
        for (line, key, value) in settingLines(text) {
            if key == "box" {
                guard value == "unicode" || value == "ascii" else { throw ConfigError(file: file, line: line, reason: "box is unicode or ascii") }
                box = value == "ascii" ? .ascii : .unicode
                continue
            }
            guard parts.contains(key) else { throw ConfigError(file: file, line: line, reason: "unknown part \"\(key)\" (parts: \(parts.joined(separator: ", ")), box)") }
            let choices = value.split(separator: "|", maxSplits: 1).map { $0.trimmingBlanks }
            guard !choices.isEmpty else { throw ConfigError(file: file, line: line, reason: "\(key) has no style") }
            let chosen = colors >= 256 || choices.count == 1 ? choices[0] : choices[1]
            do { styles[key] = try style(chosen) } catch { throw ConfigError(file: file, line: line, reason: error.reason) }
            // The fallback must parse too, whichever terminal reads the file.
            if choices.count == 2 { do { _ = try style(choices[1]) } catch { throw ConfigError(file: file, line: line, reason: error.reason) } }
        }
        if let missing = parts.first(where: { styles[$0] == nil }) { throw ConfigError(file: file, line: 0, reason: "no \(missing) = line") }
        return Theme(name: name, base: styles["base"]!, title: styles["title"]!, border: styles["border"]!, header: styles["header"]!,
                     selected: styles["selected"]!, changed: styles["changed"]!, spawned: styles["spawned"]!, dim: styles["dim"]!,
                     status: styles["status"]!, error: styles["error"]!, box: box)
    }

    /// `cyan on 17 bold`.
    static func style(_ text: String) throws(ConfigError) -> Style {
        var words = text.split(separator: " ").map(String.init)
        var style = Style()
        var attributes: [String] = []
        while let last = words.last, ["bold", "reversed", "underlined"].contains(last) { attributes.append(last); words.removeLast() }
        style.isBold = attributes.contains("bold")
        style.isReversed = attributes.contains("reversed")
        style.isUnderlined = attributes.contains("underlined")
        switch words.count {
        case 0: break
        case 1: style.foreground = try color(words[0])
        case 3 where words[1] == "on":
            style.foreground = try color(words[0])
            style.background = try color(words[2])
        default: throw ConfigError(file: "", line: 0, reason: "a style is FOREGROUND [on BACKGROUND] [bold] [reversed] [underlined], not \"\(text)\"")
        }
        return style
    }

    static func color(_ word: String) throws(ConfigError) -> Color {
        let named: [String: Color] = ["default": .default, "black": .black, "red": .red, "green": .green, "yellow": .yellow,
                                      "blue": .blue, "magenta": .magenta, "cyan": .cyan, "white": .white]
        if let color = named[word] { return color }
        if let number = UInt8(word) { return .indexed(number) }
        throw ConfigError(file: "", line: 0, reason: "unknown colour \"\(word)\" (default, black, red, green, yellow, blue, magenta, cyan, white, or 0-255)")
    }
}
