import Foundation
import Timeline

extension Debugger {
    /// `R`: shows the command that carries this branch on, to run with
    /// Enter (or edit first).
    func beginResume() {
        if let run = resumeRun, run.isRunning { message = ("already resuming \(run.branch) (Esc stops)", true); return }
        let command: String?
        do { command = try resumeCommand?(branch) } catch { message = ("resume: \(error)", true); return }
        guard let command else {
            message = ("this recording names no resume command: tickscope config STORE resume 'COMMAND {store}@{branch}'", true)
            return
        }
        mode = .prompt(.resume, command)
    }

    /// Runs the resume command and follows the branch as it grows: at the
    /// end of the branch, the view moves on with each new checkpoint.
    func startResume(_ command: String) {
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        do {
            resumeRun = ResumeRun(command: try BackgroundCommand(command), branch: branch)
            session.cursor.seekToEnd()
            reload()
            message = nil
        } catch {
            message = ("resume: \(error.description)", true)
        }
    }

    /// Esc while resuming.
    func stopResume() {
        resumeRun?.command.stop()
        message = (ResumeRun.stopping, false)
    }

    /// Reads the resume command's output; when it has ended, picks up its
    /// last checkpoints and says how it ended.
    func pollResume() {
        guard let run = resumeRun, let outcome = run.poll() else { return }
        follow()
        resumeRun = nil
        var notice = outcome
        // An edit the run recomputed at its first step changed nothing: say so.
        if !outcome.isError, let (undone, tick) = (try? store.recomputedEdits(onBranch: run.branch)) ?? nil {
            let names = undone.prefix(3).map { "#\($0.entity.rawValue) \($0.component).\($0.field)" }.joined(separator: ", ")
            notice = ("\(outcome.text); your edit of \(names)\(undone.count > 3 ? " and \(undone.count - 3) more" : "") was recomputed at tick \(tick) "
                       + "(the fork has \(store.branches.first { $0.name == run.branch }.flatMap(\.forkedFrom).flatMap(store.checkpoint)?.branch ?? "main")'s value again): "
                       + "edit what it is computed from", true)
        }
        // The answer to a key pressed while the run went on stays; the
        // outcome waits for the next quiet key. What the run itself said
        // (stopping) gives way to how it ended.
        if let shown = message, shown.text != ResumeRun.stopping {
            deferredNotice = notice
        } else {
            message = notice
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
