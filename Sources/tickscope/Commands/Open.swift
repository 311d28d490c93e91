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
    /// alone opens the bundled ecosystem recording.
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a checkpoint store or snapshot file in the terminal debugger.",
            discussion: """
                With no PATH, opens the bundled sample SampleWorlds/ecosystem. Press ? inside for every key. \
                Without a terminal, use --print to render the screen as text after --keys.
                """)

        @Argument(help: "A checkpoint store directory or a snapshot file (default: the ecosystem sample).")
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
            let target = try path ?? SamplePaths.defaultWorld()
            var temporary: TemporaryDirectory?
            let store: CheckpointStore
            if isDirectory(target) {
                store = try CheckpointStore.open(target)
            } else {
                // A snapshot file: one checkpoint in a throwaway store.
                let snapshot: Snapshot
                do { snapshot = try SnapshotReader(path: target, key: keyOptions.loadKey()).readSnapshot() } catch let error as PackError {
                    throw CommandFailure(path: target, error)
                }
                let directory = try TemporaryDirectory()
                temporary = directory
                let scratch = try CheckpointStore.openForWriting(directory.path + "/store")
                try scratch.commit(snapshot, info: CheckpointInfo(name: target))
                store = try CheckpointStore.open(directory.path + "/store")
            }
            defer { _ = temporary }
            var theme: Theme = getenv("NO_COLOR").map { String(cString: $0).isEmpty } == false ? .monochrome : .dark
            if ascii { theme = theme.ascii }
            let debugger = try Debugger(store: store, title: target, theme: theme)
            if let at { try debugger.seek(to: at) }
            for key in (try? ScopeUI.Key.parseScript(keys).get()) ?? [] where !debugger.isFinished { debugger.handle(key) }
            if print {
                let (width, height) = parsedSize!
                var output = StandardOutput()
                output.line(debugger.screen(width: width, height: height).text)
                output.flush()
                return
            }
            let terminal: NcursesTerminal
            do { terminal = try NcursesTerminal(colors: theme != .monochrome) } catch {
                FileOutput.standardError("tickscope: \(error)")
                throw ExitCode(2)
            }
            defer { terminal.close() }
            while !debugger.isFinished {
                let (width, height) = terminal.size
                terminal.draw(debugger.screen(width: width, height: height))
                if let key = try terminal.readKey() { debugger.handle(key) }
            }
        }
    }
}

/// Where the bundled sample worlds are.
enum SamplePaths {
    /// `$TICKSCOPE_SAMPLES/ecosystem`, else `SampleWorlds/ecosystem` under
    /// the working directory, else beside the executable's build folder.
    static func defaultWorld() throws -> String {
        var candidates: [String] = []
        if let root = getenv("TICKSCOPE_SAMPLES") { candidates.append(String(cString: root) + "/ecosystem") }
        candidates.append("SampleWorlds/ecosystem")
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, 4095)
        if count > 0 {
            var executable = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // .build/<triple>/<configuration>/tickscope → the repository root.
            for _ in 0..<4 { executable = String(executable[..<(executable.lastIndex(of: "/") ?? executable.startIndex)]) }
            candidates.append(executable + "/SampleWorlds/ecosystem")
        }
        if let found = candidates.first(where: { access($0 + "/MANIFEST", F_OK) == 0 }) { return found }
        throw CommandFailure("no sample world found (looked in \(candidates.joined(separator: ", "))); give a PATH or set TICKSCOPE_SAMPLES")
    }
}

/// Writing a line to standard error.
enum FileOutput {
    static func standardError(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
