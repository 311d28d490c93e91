import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// The shell command that carries a branch of a store on, for the
/// debugger's `R`: the store's `resume` setting with `{store}` and
/// `{branch}` filled in (shell-quoted); else, for a recording of a built-in
/// simulation,
/// `tickscope record SIM --resume STORE@BRANCH --ticks N [--every K]`,
/// where N brings the branch to the tick its origin (main) reached and K is
/// main's spacing of checkpoints, so the two compare tick for tick over the
/// same span.
enum ResumeCommand {
    /// The command for `branch`, or `nil` when the store's checkpoints do
    /// not name a simulation this program can run.
    /// - Throws: when the store's `CONFIG` cannot be read.
    static func make(store: CheckpointStore, path: String, branch: String, keyFile: String?) throws -> String? {
        if let configured = try store.config()["resume"] {
            return configured.replacing("{store}", with: shellQuoted(path)).replacing("{branch}", with: shellQuoted(branch))
        }
        // The branch's last checkpoint, or its fork point while it has none.
        let last = try store.resumePoint(ofBranch: branch)
        guard let simulation = last.metadata["simulation"],
            Tickscope.Record.Kind(rawValue: simulation) != nil, simulation != "swarm"
        else { return nil }
        let origin = branch == CheckpointStore.mainBranch ? nil : store.lastCheckpoint(onBranch: CheckpointStore.mainBranch)
        let ticks = origin.map { $0.tick > last.tick ? $0.tick - last.tick : 0 } ?? 0
        var words = [executablePath, "record", simulation, "--resume", "\(path)@\(branch)", "--ticks", String(ticks > 0 ? ticks : 100)]
        // Checkpoints as often as main's, so the branches compare tick for tick.
        let main = (try? store.timeline(of: CheckpointStore.mainBranch)) ?? []
        if main.count >= 2, case let spacing = main[main.count - 1].tick - main[main.count - 2].tick, spacing > 1 {
            words += ["--every", String(spacing)]
        }
        if let keyFile { words += ["--key-file", keyFile] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    /// This program's own path (so the command runs the same build).
    static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    /// `word` as the shell reads it back: as it is when it is plain, else in
    /// single quotes.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "@%+=:,./_-".contains($0)) }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
