import Foundation
import Testing

/// The README's tutorial, command by command, on a copy of the sample.
@Suite struct TutorialTests {
    @Test("the ecosystem tutorial finds entity 265 and the fix shows one changed cell")
    func ecosystemTutorial() throws {
        let scratch = try Scratch()
        let copy = scratch.file("eco")
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleWorlds/ecosystem").path
        try FileManager.default.copyItem(atPath: sample, toPath: copy)

        let step1 = try TickscopeProcess.run(["diff", copy, "99", "100", "--limit", "1000"])
        #expect(step1.stdout.split(separator: "\n").filter { $0.contains("-> -") } == ["  entity 265 Health.value: 40.0 -> -140.0"])
        #expect(step1.stdout.hasPrefix("c100 (main@99) -> c101 (main@100): 6 spawned"))

        let step2 = try TickscopeProcess.run(["fork", copy, "--at", "99", "--name", "fix", "--set", "265.Health.value=1000"])
        #expect(step2.stdout == "branch fix forked from c100 (tick 99); edited world saved as c202\n")

        let step3 = try TickscopeProcess.run(["record", "ecosystem", "--resume", copy + "@fix", "--ticks", "101"])
        #expect(step3.status == 0, "\(step3.stderr)")
        #expect(step3.stdout.split(separator: "\n").last == "committed c303 tick 200")

        let step4 = try TickscopeProcess.run(["diff", copy, "100", "fix@100"])
        #expect(step4.stdout == """
            c101 (main@100) -> c203 (fix@100): 0 spawned, 0 despawned, 0 moved, 1 changed cell
              Health.value: 1 cell
              entity 265 Health.value: -140.0 -> 820.0

            """)
    }
}
