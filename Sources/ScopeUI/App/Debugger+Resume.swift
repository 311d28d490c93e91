import Foundation
import Timeline

extension Debugger {
    /// `R`: shows the command that carries this branch on, to run with
    /// Enter (or edit first).
    func beginResume() {
        if let run = resumeRun, run.command.isRunning { message = ("already resuming \(run.branch) (Esc stops)", true); return }
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
            resumeRun = (try BackgroundCommand(command), branch)
            cursor.seekToEnd()
            reload()
            message = nil
        } catch {
            message = ("resume: \(error.description)", true)
        }
    }

    /// Esc while resuming.
    func stopResume() {
        resumeRun?.command.stop()
        message = ("stopping the resume…", false)
    }

    /// Reads the resume command's output and says how it ended.
    func pollResume() {
        guard let run = resumeRun, run.command.poll(), let status = run.command.exitStatus else { return }
        follow()
        let line = run.command.lastLine.map { ": \($0)" } ?? ""
        if run.command.wasStopped {
            message = ("resume stopped\(line)", false)
        } else {
            message = status == 0 ? ("resumed \(run.branch)\(line)", false) : ("resume failed (exit \(status))\(line)", true)
        }
        resumeRun = nil
    }
}
