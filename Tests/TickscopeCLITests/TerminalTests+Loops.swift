import Foundation
import Testing

/// The other two samples' debugging loops, played through the real
/// ncurses path: from `tickscope open` to the fixed branch compared with
/// main, keys only, counted (README and the samples' READMEs give the counts).
extension TerminalTests {
    /// A copy of a sample store open in tmux, counting what a user types.
    final class Loop {
        let tmux: TmuxSession
        let store: String
        private(set) var keystrokes = 0
        private let scratch: Scratch

        init(_ sample: String, width: Int = 120, height: Int = 30) throws {
            scratch = try Scratch()
            store = scratch.file(sample)
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("SampleWorlds/" + sample).path
            try FileManager.default.copyItem(atPath: source, toPath: store)
            tmux = TmuxSession(name: "tickscope-\(sample)-\(getpid())")
            try tmux.start("'\(TickscopeProcess.binary.path)' open '\(store)'", width: width, height: height)
        }

        /// Types `keys`: a named key is one keystroke, text one a character.
        func type(_ keys: String...) {
            for key in keys {
                keystrokes += ["Enter", "BSpace", "Right", "Left", "Up", "Down", "Escape", "C-u"].contains(key) ? 1 : key.count
                tmux.send(key)
            }
        }

        /// The loop's end on the fork shown: `R` (checkpoints as often as
        /// main's), Enter, the view following the run to `lastTick`, `B`;
        /// then the count of keystrokes, and `q`.
        func resumeAndCompare(fork: String, every: Int, lastTick: Int, sample: String, keystrokes expected: Int) {
            type("R")
            #expect(tmux.waitFor("--every \(every)"), "R shows main's spacing of checkpoints: \(tmux.capture())")
            type("Enter")
            // The run has ended ("resumed", not "resuming"), so its outcome cannot replace B's answer,
            // and the header (`tick N  time`, not the status line's last output line) is at its end.
            #expect(tmux.waitFor("resumed \(fork)"), "the run ended: \(tmux.capture())")
            #expect(tmux.waitFor("tick \(lastTick)  time"), "the view moved on with the branch to its end: \(tmux.capture())")
            type("B")
            #expect(tmux.waitFor("\(fork) and main diverge at"), "B: \(tmux.capture())")
            print("\(sample) loop: \(keystrokes) keystrokes")
            #expect(keystrokes == expected, "the READMEs say \(expected) keystrokes")
            tmux.send("q")
            #expect(tmux.waitForExit(), "q quits")
        }

        deinit { tmux.kill() }
    }

    @Test("the boids loop: find where NaN begins, give the hatchling a velocity in a fork, resume it live, compare with main")
    func boidsLoop() throws {
        let loop = try Loop("boids")
        #expect(loop.tmux.waitFor("c1 tick 0"), "first screen: \(loop.tmux.capture())")
        loop.type("/Heading.dx == nan", "Enter", "F")
        #expect(loop.tmux.waitFor("c41 tick 80"), "F finds tick 80: \(loop.tmux.capture())")
        #expect(loop.tmux.capture().contains("1 of 601"), "one row, the hatchling: \(loop.tmux.capture())")
        loop.type("Escape")
        #expect(loop.tmux.waitFor("vs c40:"), "Esc shows every row: \(loop.tmux.capture())")
        loop.type("Right", "Right", "e", "C-u", "1", "Enter", "f", "Enter")
        #expect(loop.tmux.waitFor("branch fork-80"), "the fork: \(loop.tmux.capture())")
        loop.resumeAndCompare(fork: "fork-80", every: 2, lastTick: 150, sample: "boids", keystrokes: 32)
        // The fixed branch has no NaN anywhere; main has many by then.
        let counts = try TickscopeProcess.run(["query", loop.store, "count(Position.x == nan || Heading.dx == nan) on fork-80 during 82..150", "--csv"])
        let values = counts.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Int($0) } }
        #expect(values.count == 35 && values.allSatisfy { $0 == 0 }, "\(counts.stdout) \(counts.stderr)")
    }

    @Test("the orbits loop: see the energy climb, set Integrator.scheme to 1 in a fork, resume it live, compare with main")
    func orbitsLoop() throws {
        let loop = try Loop("orbits")
        #expect(loop.tmux.waitFor("c1 tick 0"), "first screen: \(loop.tmux.capture())")
        loop.type("j", "Right", "Right", "Right", "Right", "Right", "w")
        #expect(loop.tmux.waitFor("1 energy"), "the pinned energy of planet 1: \(loop.tmux.capture())")
        loop.type("a", "e", "C-u", "1", "Enter", "f", "Enter")
        #expect(loop.tmux.waitFor("branch fork-0"), "the fork: \(loop.tmux.capture())")
        loop.resumeAndCompare(fork: "fork-0", every: 4, lastTick: 400, sample: "orbits", keystrokes: 17)
        // On the fork the planets' energy stays flat; on main it climbs.
        func total(_ branch: String) throws -> Double {
            let result = try TickscopeProcess.run(["query", loop.store, "sum(Orbit.energy) where id >= 1 && id <= 8 at \(branch)@400", "--csv"])
            return Double(result.stdout.split(separator: "\n").last?.split(separator: ",").last ?? "") ?? .nan
        }
        let start = -149.81563849718
        let fixed = try total("fork-0"), broken = try total("main")
        #expect(abs(fixed - start) < 0.02 && broken - start > 0.8, "fork-0 \(fixed), main \(broken)")
    }
}
