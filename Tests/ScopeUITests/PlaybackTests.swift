@testable import ScopeUI
import Testing

/// The timeline's playing and following, as times and rates: when steps
/// are due, how the speed keys move, what the input wait is.
@Suite struct PlaybackTests {
    /// At which of `times` a step is due (each check schedules the next).
    private static func dueTimes(_ playback: inout Playback, _ times: [Double]) -> [Double] {
        times.filter { playback.takeDueStep(now: $0) }
    }

    @Test("a started timeline steps at once, then once a period; a long pause does not make it race to catch up")
    func dueSteps() {
        var playback = Playback()
        let paused = Self.dueTimes(&playback, [10])
        #expect(paused.isEmpty)
        playback.togglePlaying()
        // 5 a second: at once, then every 0.2 s.
        let steps = Self.dueTimes(&playback, [10, 10.1, 10.2, 10.3, 10.35, 10.4])
        #expect(steps == [10, 10.2, 10.4])
        // Ten seconds late: a step now, and the schedule restarts one second behind, so it catches
        // up a second's worth (five steps) and the one due at 20.4, not fifty: 7 in all, then waits.
        let late = Self.dueTimes(&playback, (0..<20).map { 20.4 + Double($0) * 0.01 })
        #expect(late.first == 20.4 && late.count == 7)
        playback.togglePlaying()
        let stopped = Self.dueTimes(&playback, [30])
        #expect(stopped.isEmpty)
    }

    @Test("+ and - walk the speed list and stop at its ends; the label drops a whole number's .0")
    func speeds() {
        var playback = Playback()
        #expect(playback.speed == 5 && playback.speedLabel == "5")
        playback.changeSpeed(faster: true)
        #expect(playback.speed == 10)
        for _ in 0..<10 { playback.changeSpeed(faster: false) }
        #expect(playback.speed == 0.5 && playback.speedLabel == "0.5")
        for _ in 0..<20 { playback.changeSpeed(faster: true) }
        #expect(playback.speed == 100)
    }

    @Test("the input wait: until the next step while playing, at most a quarter second while following, none otherwise")
    func waits() {
        var playback = Playback()
        #expect(playback.secondsUntilDue(now: 0) == nil)
        playback.isFollowing = true
        #expect(playback.secondsUntilDue(now: 0) == 0.25)
        playback.isFollowing = false
        playback.togglePlaying()
        let first = Self.dueTimes(&playback, [1])
        #expect(first == [1])
        #expect(abs((playback.secondsUntilDue(now: 1.05) ?? -1) - 0.15) < 1e-9)
    }
}
