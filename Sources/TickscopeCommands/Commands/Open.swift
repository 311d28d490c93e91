import Formats
import ArgumentParser
import PackCodec
import ScopeUI
import Terminal
import Timeline

#if canImport(Glibc)
import Glibc
#endif

extension Tickscope {
    /// `tickscope open PATH`: the debugger. The default command: `tickscope`
    /// alone opens the user's copy of the bundled ecosystem recording
    /// (``SampleCopy``).
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a checkpoint store or snapshot file in the terminal debugger.",
            discussion: """
                With no PATH, opens your copy of the bundled sample SampleWorlds/ecosystem, made on first use in \
                $XDG_STATE_HOME/tickscope/samples (~/.local/state/tickscope/samples): forks, marks and resumed runs go there, \
                and the sample stays as shipped; delete the copy to start again. Press ? inside for every key. \
                Without a terminal, use --print to render the screen as text after --keys.
                """)

        @Argument(help: "A checkpoint store, a snapshot file, a tx2-pack or TKSN file or folder, or a bundled .xs (default: your copy of the ecosystem sample).")
        var path: String?

        @Option(help: "Start at a checkpoint: c12, a tick, or branch@tick.")
        var at: String?

        @Flag(help: "Render without a terminal and print the final screen as text.")
        var print = false

        @Option(help: ArgumentHelp("The screen size for --print, WIDTHxHEIGHT.", valueName: "size"))
        var size: String = "100x30"

        @Option(help: ArgumentHelp("Keys to apply first, separated by spaces (l, SPACE, ENTER, ESC, UP, PGDN, ...).", valueName: "keys"))
        var keys: String = ""

        @Flag(help: "Draw boxes and markers with ASCII only.")
        var ascii = false

        @Option(help: ArgumentHelp("A theme: dark, light, high-contrast, mono, or one of yours.", valueName: "name"))
        var theme: String?

        @Flag(inversion: .prefixedNo, help: "Pick up checkpoints while a recording is being written (at the end of the branch, the view moves on with them).")
        var follow = true

        @Option(help: ArgumentHelp("For PECS files: how to decode component bytes into fields (docs/FORMATS.md).", valueName: "file"))
        var schema: String?

        @OptionGroup var keyOptions: KeyOptions

        func validate() throws {
            guard parsedSize != nil else { throw ValidationError("--size takes WIDTHxHEIGHT, like 120x40 (at least 20x6)") }
            if case .failure(let error) = ScopeUI.Key.parseScript(keys) { throw ValidationError(error.description) }
        }

        var parsedSize: (Int, Int)? {
            let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 20, parts[1] >= 6, parts[0] <= 1000, parts[1] <= 1000 else { return nil }
            return (parts[0], parts[1])
        }

        func run() throws {
            // A bundled sample opens as the user's own copy of it (the ecosystem's without a path).
            let bundled = path.flatMap(SampleCopy.bundledSample(at:)) ?? (path == nil ? "ecosystem" : nil)
            // Without a terminal the sample is not copied before saying so.
            if !print, bundled != nil {
                do { try NcursesTerminal.checkAvailable() } catch {
                    printError("tickscope: \(error)")
                    throw ExitCode(2)
                }
            }
            let sample: (path: String, isNew: Bool, sampleChanged: Bool)?
            if let path { sample = try bundled == nil ? nil : SampleCopy.of(path) } else { sample = try defaultWorld() }
            let target = sample?.path ?? path!
            let key = try keyOptions.loadKey()
            let timeline = try openTimeline(target, key: key, schema: schema)
            let store = timeline.store, temporary = timeline.temporary
            defer { withExtendedLifetime(timeline) {} }
            // A throwaway store of a file's worlds never grows.
            let follows = follow && temporary == nil
            let user = try UserConfig.load()
            let debugger = try Debugger(store: store, title: sample == nil ? target : SampleCopy.abbreviated(target), keyMap: user.keyMap, theme: .dark)
            if let sample, let bundled {
                debugger.notify(sample.sampleChanged
                    // The title shows the copy's path; at 100 columns the line fits whole.
                    ? "your copy of the \(bundled) sample is older than the one shipped; delete it to copy the new one"
                    : "your own copy of the \(bundled) sample" + (sample.isNew ? ", made now" : "") + ": forks and runs stay in it")
            }
            debugger.isFollowing = follows
            if temporary == nil, isDirectory(target) {
                let keyFile = keyOptions.resolvedPath
                debugger.resumeCommand = { branch in try ResumeCommand.make(store: store, path: target, branch: branch, keyFile: keyFile) }
            }
            if let speed = user.config.speed { debugger.speed = speed }
            try chooseTheme(for: debugger, user: user, colors: 256)
            if let at { try explainingNames(of: store, in: target) { try debugger.seek(to: at) } }
            // --keys first (the whole session with --print), through the same loop as the terminal's.
            let (width, height) = print ? parsedSize! : (100, 30)
            var script = ScriptBackend(keys: (try? ScopeUI.Key.parseScript(keys).get()) ?? [], width: width, height: height)
            try EventLoop.run(debugger, on: &script)
            if print {
                var output = StandardOutput()
                output.line((script.screen ?? debugger.screen(width: width, height: height)).text)
                output.flush()
                return
            }
            var terminal: NcursesTerminal
            do { terminal = try NcursesTerminal(colors: debugger.theme.name != "mono") } catch {
                printError("tickscope: \(error)")
                throw ExitCode(2)
            }
            defer { terminal.close() }
            try chooseTheme(for: debugger, user: user, colors: terminal.colorCount)
            try EventLoop.run(debugger, on: &terminal)
        }

        /// --theme, else NO_COLOR's mono, else the config file's, else dark;
        /// parsed for the terminal's colours (none: mono).
        private func chooseTheme(for debugger: Debugger, user: UserConfig, colors: Int) throws {
            let (themes, broken) = user.themes(colors: max(colors, 8))
            debugger.themes = themes
            debugger.brokenThemes = broken
            let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty } == false
            let name = theme ?? (noColor || colors == 0 ? "mono" : user.config.theme ?? "dark")
            if let problem = broken[name] { throw CommandFailure(problem) }
            guard var chosen = themes[name] else {
                throw CommandFailure("no theme \(name) (\(themes.keys.sorted().joined(separator: ", ")); add yours as \(UserConfig.directory ?? "~/.config/tickscope")/themes/\(name).theme)")
            }
            if ascii || user.config.ascii == true { chosen = chosen.ascii }
            debugger.theme = chosen
        }

        /// The user's copy of the bundled ecosystem recording (made now when
        /// missing), and whether it was made now.
        private func defaultWorld() throws -> (path: String, isNew: Bool, sampleChanged: Bool) {
            if let found = ResourcePaths.find("SampleWorlds/ecosystem", containing: "MANIFEST") { return try SampleCopy.of(found) }
            let looked = ResourcePaths.candidates("SampleWorlds/ecosystem").joined(separator: ", ")
            throw CommandFailure("no sample world found (looked in \(looked)); give a PATH or set TICKSCOPE_HOME to the tickscope folder")
        }
    }
}
