#if canImport(Glibc)
import Glibc
#endif
import PackCodec
import ScopeUI

/// The user's settings: the config file, the keys file and the themes,
/// from `$XDG_CONFIG_HOME/tickscope/` (or `~/.config/tickscope/`) and the
/// shipped `Themes/` folder.
struct UserConfig {
    var config = ConfigFile()
    var keyMap = KeyMap.standard
    /// Theme files by name, as text and where they came from (user files win).
    var themeFiles: [String: (text: String, file: String)] = [:]

    /// `$XDG_CONFIG_HOME/tickscope`, else `$HOME/.config/tickscope`.
    static var directory: String? {
        if let xdg = getenv("XDG_CONFIG_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") { return xdg + "/tickscope" }
        return getenv("HOME").map { String(cString: $0) + "/.config/tickscope" }
    }

    /// Reads everything; a bad line is a ``CommandFailure`` naming it.
    static func load() throws -> UserConfig {
        var user = UserConfig()
        if let shipped = ResourcePaths.find("Themes", containing: "dark.theme") { user.addThemes(in: shipped) }
        guard let directory else { return user }
        user.addThemes(in: directory + "/themes")
        do {
            if let text = read(directory + "/config") { user.config = try ConfigFile.parse(text, file: directory + "/config") }
            if let text = read(directory + "/keys") { user.keyMap = try KeysFile.apply(text, file: directory + "/keys", to: .standard) }
        } catch {
            throw CommandFailure(error.description)
        }
        return user
    }

    /// Every theme, parsed for a terminal of `colors` colours: the built-in
    /// ones, replaced by files of the same name. A file with a mistake does
    /// not stop the others: it is left out and its error (naming the file
    /// and line) is kept by name, for whoever asks for that theme.
    func themes(colors: Int) -> (themes: [String: Theme], broken: [String: String]) {
        var themes = ["dark": Theme.dark, "mono": Theme.monochrome]
        var broken: [String: String] = [:]
        for (name, source) in themeFiles {
            do {
                themes[name] = try ThemeFile.parse(source.text, name: name, file: source.file, colors: colors)
                broken[name] = nil
            } catch {
                // A user's broken file does not hide the shipped theme of that name.
                if themes[name] == nil { broken[name] = error.description }
            }
        }
        return (themes, broken)
    }

    private mutating func addThemes(in folder: String) {
        for name in (try? directoryEntries(folder)) ?? [] {
            guard name.hasSuffix(".theme"), let text = Self.read(folder + "/" + name) else { continue }
            themeFiles[String(name.dropLast(6))] = (text, folder + "/" + name)
        }
    }

    private static func read(_ path: String) -> String? {
        (try? FileInput.readAll(path: path, limit: 1 << 20)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Where folders shipped with tickscope are (sample worlds, themes).
enum ResourcePaths {
    /// `folder` under `$TICKSCOPE_HOME`, the working directory, or the
    /// repository the executable was built in, the first that holds `file`.
    static func find(_ folder: String, containing file: String) -> String? {
        candidates(folder).first { access($0 + "/" + file, F_OK) == 0 }
    }

    static func candidates(_ folder: String) -> [String] {
        var result: [String] = []
        if let root = getenv("TICKSCOPE_HOME") { result.append(String(cString: root) + "/" + folder) }
        result.append(folder)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, 4095)
        if count > 0 {
            var executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // .build/<triple>/<configuration>/tickscope → the repository root.
            for _ in 0..<4 { executable = String(executable[..<(executable.lastIndex(of: "/") ?? executable.startIndex)]) }
            result.append(executable + "/" + folder)
        }
        return result
    }
}
