import ArgumentParser
import PackCodec
import Testing
@testable import TickscopeCommands
import Foundation
import Timeline

@Suite struct ParsingTests {
    @Test("repack parses codec, encryption and key file")
    func repack() throws {
        let command = try Tickscope.parseAsRoot(["repack", "in.tscp", "-o", "out.tscp", "--codec", "zstd:9", "--encrypt", "--key-file", "k"])
        let repack = try #require(command as? Tickscope.Repack)
        #expect(repack.encoding.codec == .zstd(level: 9))
        #expect(repack.encoding.encrypt)
        #expect(repack.keyOptions.keyFile == "k")
    }

    @Test("an invalid codec is a usage error that lists the forms", arguments: ["zstd:20", "brotli"])
    func badCodec(codec: String) {
        #expect(throws: (any Error).self) { try Tickscope.parseAsRoot(["pack", "w.jsonl", "-o", "w.tscp", "--codec", codec]) }
    }

    @Test("bench codec refuses a negative entity count")
    func benchValidation() {
        #expect(throws: (any Error).self) { try Tickscope.parseAsRoot(["bench", "codec", "--entities", "-5"]) }
    }

    @Test("there is no option that takes a key literal")
    func noKeyLiteral() {
        #expect(throws: (any Error).self) { try Tickscope.parseAsRoot(["repack", "a", "-o", "b", "--key", "00"]) }
    }

    @Test("key new --help reads as written")
    func keyNewHelp() {
        let help = Tickscope.helpMessage(for: Tickscope.Key.New.self, columns: 80)
        #expect(help == """
            OVERVIEW: Write a new random 32-byte key to a file readable only by you (mode
            0600).

            Refuses to overwrite an existing file. The key itself is never printed.

            USAGE: tickscope key new <file>

            ARGUMENTS:
              <file>                  The key file to create.

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test("R's command: a built-in simulation's resume reaches main's last tick; a configured one is filled in, shell-quoted")
    func resumeCommand() throws {
        let scratch = try Scratch()
        let path = scratch.file("it's a store")
        #expect(try TickscopeProcess.run(["record", "orbits", path, "--ticks", "20"]).status == 0)
        #expect(try TickscopeProcess.run(["fork", path, "--at", "5", "--name", "fix"]).status == 0)
        let store = try CheckpointStore.open(path)
        let quotedPath = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let builtIn = try ResumeCommand.make(store: store, path: path, branch: "fix", keyFile: nil)
        #expect(builtIn == "\(ResumeCommand.executablePath) record orbits --resume \(ResumeCommand.shellQuoted(path + "@fix")) --ticks 15")
        #expect(ResumeCommand.shellQuoted(path + "@fix") == quotedPath.dropLast() + "@fix'")
        try store.setConfig("resume", to: "python3 sim.py --resume {store}@{branch} # {branch}")
        #expect(try ResumeCommand.make(store: store, path: path, branch: "fix", keyFile: nil)
            == "python3 sim.py --resume \(quotedPath)@fix # fix")
        #expect(ResumeCommand.shellQuoted("a b") == "'a b'" && ResumeCommand.shellQuoted("c12") == "c12" && ResumeCommand.shellQuoted("") == "''")
    }
}
