/// The keys file (`$XDG_CONFIG_HOME/tickscope/keys`): `KEY ACTION` per
/// line binds a key (named as in `--keys`: a character, or SPACE ENTER ESC
/// TAB BTAB UP DOWN LEFT RIGHT PGUP PGDN HOME END BACKSPACE) to an action
/// (named as on the `:` command line, like `step-forward`), replacing what
/// the key did; `unbind KEY` removes a key. `#` starts a comment.
public enum KeysFile {
    /// `keyMap` with the file's lines applied.
    /// - Throws: ``ConfigError`` naming the line.
    public static func apply(_ text: String, file: String, to keyMap: KeyMap) throws(ConfigError) -> KeyMap {
        var map = keyMap
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            guard words.count == 2 else { throw ConfigError(file: file, line: index + 1, reason: "a line is KEY ACTION or unbind KEY") }
            let keyName = first == "unbind" ? words[1] : first
            guard case .success(let keys) = Key.parseScript(keyName), keys.count == 1, case let key = keys[0], key.scriptName != nil else {
                throw ConfigError(file: file, line: index + 1, reason: "unknown key \"\(keyName)\"")
            }
            map.bindings.removeAll { $0.key == key }
            if first == "unbind" { continue }
            guard let action = Action(rawValue: words[1]) else {
                throw ConfigError(file: file, line: index + 1, reason: "unknown action \"\(words[1])\" (the names :help lists, like step-forward)")
            }
            map.bindings.append(KeyBinding(key, action))
        }
        return map
    }
}
