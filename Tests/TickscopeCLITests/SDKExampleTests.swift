import Foundation
import Testing

/// The recording libraries as their users meet them: the C example built
/// with `cc` against include/tickscope.h and libtickscope.so, the Python
/// package installed with pip (by `make test`, in .build/venv) and its
/// example; each records, checks its recording value for value through the
/// library, resumes from a fork, and survives `kill -9` after a flush.
@Suite(.serialized) struct SDKExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A folder holding libtickscope.so (a link to the library SwiftPM built beside the tests).
    static func libraryFolder(_ scratch: Scratch) throws -> String {
        let built = TickscopeProcess.binary.deletingLastPathComponent().appendingPathComponent("libTickscopeC.so").path
        guard FileManager.default.fileExists(atPath: built) else { throw Failure("\(built) is missing: `swift build --build-tests` makes it") }
        let folder = scratch.file("lib")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/libtickscope.so", withDestinationPath: built)
        return folder
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func tool(_ name: String) -> URL { URL(fileURLWithPath: "/usr/bin/" + name) }

    /// Compiles the C example; the header also compiles as strict C11 and as C++.
    static func buildParticles(_ scratch: Scratch) throws -> URL {
        let lib = try libraryFolder(scratch)
        for (compiler, flags) in [("gcc", ["-std=c11", "-pedantic", "-x", "c"]), ("g++", ["-std=c++11", "-pedantic", "-x", "c++"])] {
            let header = try TickscopeProcess.run(tool(compiler), flags + ["-Wall", "-Wextra", "-Werror", "-fsyntax-only", root + "/include/tickscope.h"])
            #expect(header.status == 0, "\(compiler): \(header.stderr)")
        }
        let output = scratch.file("particles")
        let build = try TickscopeProcess.run(tool("cc"), [
            "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", root + "/Examples/c/particles.c", "-I", root + "/include",
            "-L", lib, "-ltickscope", "-Wl,-rpath," + lib, "-o", output,
        ])
        guard build.status == 0 else { throw Failure("cc: \(build.stderr)") }
        return URL(fileURLWithPath: output)
    }

    /// The virtual environment `make test` made, with numpy and the package installed.
    static func python() throws -> URL {
        let path = ProcessInfo.processInfo.environment["TICKSCOPE_PYTHON"] ?? root + "/.build/venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure("no Python environment at \(path): `make test` creates it (numpy and bindings/python installed)")
        }
        return URL(fileURLWithPath: path)
    }

    /// Runs `program` until a line of its output starts with `line`, then kills it with SIGKILL.
    static func killAfter(_ line: String, _ program: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.split(separator: "\n").contains(where: { $0.hasPrefix(line) }) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(seen.contains(line), "the program ended before printing \(line): \(seen)")
    }

    @Test("C: record, check value for value through the library, verify, fork, resume on the fork, and match the original branch")
    func cExample() throws {
        let scratch = try Scratch()
        let particles = try Self.buildParticles(scratch)
        let store = scratch.file("st")
        let recorded = try TickscopeProcess.run(particles, [store, "30"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("durable 30"))
        let check = try TickscopeProcess.run(particles, [store, "--check", "main"])
        #expect(check.stdout.contains("31 checkpoints match the replay"), "\(check.stdout)\(check.stderr)")
        #expect(try TickscopeProcess.run(["verify", store]).status == 0)
        // Fork at tick 15 in the store, resume the simulation on the fork: it must retrace main exactly.
        #expect(try TickscopeProcess.run(["fork", store, "--at", "c16", "--name", "alt"]).status == 0)
        let resumed = try TickscopeProcess.run(particles, [store, "15", "alt"])
        #expect(resumed.stdout.contains("recorded \(store)@alt up to tick 30"), "\(resumed.stdout)\(resumed.stderr)")
        #expect(try TickscopeProcess.run(particles, [store, "--check", "alt"]).stdout.contains("31 checkpoints match the replay"))
        let diff = try TickscopeProcess.run(["diff", store, "c31", "c46"])
        #expect(diff.stdout.contains("c31 (main@30) -> c46 (alt@30): 0 spawned, 0 despawned, 0 moved, 0 changed cells"), "\(diff.stdout)\(diff.stderr)")
    }

    /// The Swift example, built beside `tickscope` by `swift build --build-tests`.
    static var herd: URL { TickscopeProcess.binary.deletingLastPathComponent().appendingPathComponent("herd") }

    @Test("Swift: record, check value for value, verify, fork, resume on the fork from RecordedStore, match main; SIGKILL after a flush loses nothing flushed")
    func swiftExample() throws {
        let scratch = try Scratch()
        let store = scratch.file("st")
        let recorded = try TickscopeProcess.run(Self.herd, [store, "30"])
        #expect(recorded.status == 0 && recorded.stdout.contains("durable 30"), "\(recorded.stdout)\(recorded.stderr)")
        #expect(try TickscopeProcess.run(Self.herd, [store, "--check", "main"]).stdout.contains("31 checkpoints match the replay"))
        #expect(try TickscopeProcess.run(["verify", store]).status == 0)
        // The planted bug is there to find.
        #expect(try TickscopeProcess.run(["query", store, "first tick where Energy.value > 100"]).stdout.contains("main    c"))
        #expect(try TickscopeProcess.run(["fork", store, "--at", "c16", "--name", "alt"]).status == 0)
        let resumed = try TickscopeProcess.run(Self.herd, [store, "15", "alt"])
        #expect(resumed.stdout.contains("recorded \(store)@alt up to tick 30"), "\(resumed.stdout)\(resumed.stderr)")
        #expect(try TickscopeProcess.run(Self.herd, [store, "--check", "alt"]).stdout.contains("31 checkpoints match the replay"))
        let diff = try TickscopeProcess.run(["diff", store, "main@30", "alt@30"])
        #expect(diff.stdout.contains("0 spawned, 0 despawned, 0 moved, 0 changed cells"), "\(diff.stdout)\(diff.stderr)")
        // Killed after a flush: every flushed tick is there, and the run goes on from the store's end.
        let killed = scratch.file("killed")
        try Self.killAfter("durable 50", Self.herd, [killed, "1000000"])
        let check = try TickscopeProcess.run(Self.herd, [killed, "--check", "main"])
        let count = Int(check.stdout.split(separator: " ").first ?? "") ?? 0
        #expect(check.status == 0 && count >= 51, "ticks 0...50 were flushed: \(check.stdout)\(check.stderr)")
        #expect(try TickscopeProcess.run(["verify", killed]).status == 0)
        #expect(try TickscopeProcess.run(Self.herd, [killed, "5"]).status == 0)
        #expect(try TickscopeProcess.run(Self.herd, [killed, "--check", "main"]).status == 0)
    }

    @Test("C: killed with SIGKILL after a flush, the store holds every flushed tick exactly and verifies")
    func cKill() throws {
        let scratch = try Scratch()
        let particles = try Self.buildParticles(scratch)
        let store = scratch.file("st")
        try Self.killAfter("durable 50", particles, [store, "1000000"])
        let check = try TickscopeProcess.run(particles, [store, "--check", "main"])
        #expect(check.status == 0, "\(check.stderr)")
        let count = Int(check.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(count >= 51, "ticks 0...50 were flushed: \(check.stdout)")
        #expect(try TickscopeProcess.run(["verify", store]).status == 0)
        // And the simulation goes on from where the store ends.
        #expect(try TickscopeProcess.run(particles, [store, "5"]).status == 0)
        #expect(try TickscopeProcess.run(particles, [store, "--check", "main"]).status == 0)
    }

    @Test("Python: the package's API tests, then the example records, checks, resumes a fork and survives SIGKILL after a flush")
    func pythonExample() throws {
        let scratch = try Scratch()
        let python = try Self.python()
        let environment = ["TICKSCOPE_LIBRARY": try Self.libraryFolder(scratch) + "/libtickscope.so"]
        let unit = try TickscopeProcess.run(python, ["-m", "unittest", "discover", "-s", Self.root + "/bindings/python/tests"], environment: environment)
        #expect(unit.status == 0, "\(unit.stderr)")
        #expect(unit.stderr.contains("OK"), "\(unit.stderr)")
        let example = Self.root + "/Examples/python/foragers.py", store = scratch.file("fst")
        let recorded = try TickscopeProcess.run(python, [example, store, "--ticks", "60"], environment: environment)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try TickscopeProcess.run(python, [example, store, "--check", "main"], environment: environment).stdout.contains("61 checkpoints match"))
        #expect(try TickscopeProcess.run(["verify", store]).status == 0)
        #expect(try TickscopeProcess.run(["fork", store, "--at", "c31", "--name", "alt"]).status == 0)
        #expect(try TickscopeProcess.run(python, [example, store, "--ticks", "30", "--branch", "alt"], environment: environment).status == 0)
        #expect(try TickscopeProcess.run(python, [example, store, "--check", "alt"], environment: environment).stdout.contains("61 checkpoints match"))
        let diff = try TickscopeProcess.run(["diff", store, "c61", "c91"])
        #expect(diff.stdout.contains("0 changed cells"), "\(diff.stdout)\(diff.stderr)")
        let killed = scratch.file("killed")
        try Self.killAfter("durable 40", python, [example, killed, "--ticks", "1000000"], environment: environment)
        let check = try TickscopeProcess.run(python, [example, killed, "--check", "main"], environment: environment)
        #expect(check.status == 0, "\(check.stderr)")
        let count = Int(check.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(count >= 41, "ticks 0...40 were flushed: \(check.stdout)")
    }
}
