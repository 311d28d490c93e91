import Foundation
@testable import ScopeUI
import Testing

/// A resumed simulation's last line is what the status line shows when it
/// ends: it must never be lost to a poll that reads the pipe just before
/// the command writes and exits.
@Suite struct BackgroundCommandTests {
    @Test("the last line of a command that prints and exits at once is kept, however the polls fall")
    func lastLineOfAQuickCommand() throws {
        for run in 0..<200 {
            let command = try BackgroundCommand("echo line \(run)")
            // Poll as fast as a loop can: the end often falls between a poll's read and its wait.
            while command.isRunning { command.poll() }
            #expect(command.lastLine == "line \(run)" && command.exitStatus == 0, "run \(run): \(String(describing: command.lastLine))")
        }
    }
}
