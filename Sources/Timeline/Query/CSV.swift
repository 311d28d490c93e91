/// Comma-separated values as RFC 4180 writes them: what `tickscope query
/// --csv` and the debugger's `:export` produce.
public enum CSV {
    /// `text` as one field: as it is, or in double quotes (doubled inside)
    /// when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// One record: the fields, escaped, joined by commas.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
