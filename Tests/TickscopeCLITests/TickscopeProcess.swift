import Foundation

/// Runs the built `tickscope` binary the way a user does, with no terminal.
struct TickscopeProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary beside the test bundle (`.build/<triple>/debug/tickscope`).
    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tickscope")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/tickscope")
    }

    /// Runs `tickscope` in `directory` (the test's own, by default).
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil, in directory: String? = nil) throws -> Result {
        try run(binary, arguments, environment: environment, stdin: stdin, in: directory)
    }

    /// Runs any program (a compiler, an example) the same way.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                    in directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TICKSCOPE_KEY_FILE")
        // Copies of the samples the debugger opens go to a folder of this run's own, never the user's home.
        let state = NSTemporaryDirectory() + "tickscope-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: state) }
        env["XDG_STATE_HOME"] = state
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh directory for one test, removed afterwards.
final class Scratch {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "tickscope-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
