import FoundationEssentials
import Timeline

/// Resuming the simulation on a branch (`R`): the command the recording
/// names, shown in a prompt to run or edit; while it runs, the debugger
/// follows the branch as it grows and the status line shows its last line
/// of output; Esc stops it; when it ends, its last checkpoints are picked up
/// and the status line says how it ended (and whether an edit of the fork
/// was recomputed by its first step). The event loop polls it
/// (``pollResume(on:)``).
///
/// ```swift
/// ResumeController.beginResume(on: debugger)        // the prompt, filled in
/// ResumeController.startResume("./sim runs/p@fix", on: debugger)
/// ResumeController.pollResume(on: debugger)         // at each turn of the loop
/// ```
enum ResumeController {
    /// `R`: shows the command that carries this branch on, to run with
    /// Enter (or edit first).
    static func beginResume(on debugger: Debugger) {
        if let run = debugger.resumeRun, run.isRunning { debugger.message = ("already resuming \(run.branch) (Esc stops)", true); return }
        let command: String?
        do { command = try debugger.resumeCommand?(debugger.branch) } catch { debugger.message = ("resume: \(error)", true); return }
        guard let command else {
            debugger.message = ("this recording names no resume command: tickscope config STORE resume 'COMMAND {store}@{branch}'", true)
            return
        }
        debugger.mode = .prompt(.resume, command)
    }

    /// Runs the resume command and follows the branch as it grows: at the
    /// end of the branch, the view moves on with each new checkpoint.
    static func startResume(_ command: String, on debugger: Debugger) {
        guard !command.trimmingBlanks.isEmpty else { return }
        do {
            debugger.resumeRun = ResumeRun(command: try BackgroundCommand(command), branch: debugger.branch)
            debugger.session.cursor.seekToEnd()
            debugger.reload()
            debugger.message = nil
        } catch {
            debugger.message = ("resume: \(error.description)", true)
        }
    }

    /// Esc while resuming.
    static func stopResume(on debugger: Debugger) {
        debugger.resumeRun?.command.stop()
        debugger.message = (ResumeRun.stopping, false)
    }

    /// Reads the resume command's output; when it has ended, picks up its
    /// last checkpoints and says how it ended.
    static func pollResume(on debugger: Debugger) {
        guard let run = debugger.resumeRun, let outcome = run.poll() else { return }
        TimeController.follow(on: debugger)
        debugger.resumeRun = nil
        var notice = outcome
        // An edit the run recomputed at its first step changed nothing: say so.
        if !outcome.isError, let (undone, tick) = (try? debugger.store.recomputedEdits(onBranch: run.branch)) ?? nil {
            let names = undone.prefix(3).map { "#\($0.entity.rawValue) \($0.component).\($0.field)" }.joined(separator: ", ")
            notice = ("\(outcome.text); your edit of \(names)\(undone.count > 3 ? " and \(undone.count - 3) more" : "") was recomputed at tick \(tick) "
                       + "(the fork has \(debugger.store.branches.first { $0.name == run.branch }.flatMap(\.forkedFrom).flatMap(debugger.store.checkpoint)?.branch ?? "main")'s value again): "
                       + "edit what it is computed from", true)
        }
        // The answer to a key pressed while the run went on stays; the
        // outcome waits for the next quiet key. What the run itself said
        // (stopping) gives way to how it ended.
        if let shown = debugger.message, shown.text != ResumeRun.stopping {
            debugger.deferredNotice = notice
        } else {
            debugger.message = notice
        }
    }
}

/// A resume command running on a branch, and what the status line says
/// of it while it runs and when it has ended.
struct ResumeRun {
    let command: BackgroundCommand
    let branch: String

    var isRunning: Bool { command.isRunning }

    /// The status line after Esc, until the command has ended.
    static let stopping = "stopping the resume…"

    /// The status line while it runs: the branch and its last line of output.
    var status: String { "resuming \(branch)" + (command.lastLine.map { ": \($0)" } ?? "") + "  (Esc stops)" }

    /// Reads what the command printed; once it has ended, the message that
    /// says how (an error unless it succeeded or was stopped).
    func poll() -> (text: String, isError: Bool)? {
        guard command.poll(), let status = command.exitStatus else { return nil }
        let line = command.lastLine.map { ": \($0)" } ?? ""
        if command.wasStopped { return ("resume stopped\(line)", false) }
        return status == 0 ? ("resumed \(branch)\(line)", false) : ("resume failed (exit \(status))\(line)", true)
    }
}
