/// The timeline's playing and following: whether it plays and how fast,
/// when the next played step is due, and whether a growing recording is
/// followed. The debugger's timeline context; it knows times and rates, the
/// debugger does the steps.
struct Playback {
    /// The speeds `+` and `-` go through, in checkpoints a second.
    static let speeds: [Double] = [0.5, 1, 2, 5, 10, 20, 50, 100]

    /// Whether the timeline is playing.
    var isPlaying = false
    /// Checkpoints a second while playing.
    var speed: Double = 5
    /// Following a live recording: new checkpoints are picked up, and at
    /// the end of the branch the view moves on with them.
    var isFollowing = false
    /// Whether checkpoints arrived while the store was open.
    var hasGrown = false
    /// When the next played step is due (a monotonic time in seconds).
    private var nextStep: Double?

    /// `5` or `0.5`: the speed as the status line shows it.
    var speedLabel: String { speed == speed.rounded() ? String(Int(speed)) : String(speed) }

    /// Space: starts or pauses; the first step after a start is due at once.
    mutating func togglePlaying() {
        isPlaying.toggle()
        nextStep = nil
    }

    /// `+` and `-`: the next speed up or down the list.
    mutating func changeSpeed(faster: Bool) {
        let index = Self.speeds.firstIndex { $0 >= speed } ?? Self.speeds.count - 1
        speed = Self.speeds[max(0, min(Self.speeds.count - 1, index + (faster ? 1 : -1)))]
    }

    /// Whether a played step is due at `now`; when it is, the one after is
    /// scheduled a period later (never more than a second behind `now`, so
    /// a long pause does not make the timeline race to catch up).
    mutating func takeDueStep(now: Double) -> Bool {
        guard isPlaying else { return false }
        let due = nextStep ?? now
        guard now >= due else { return false }
        nextStep = max(due + 1 / speed, now - 1)
        return true
    }

    /// Seconds until playing or following has something to do, or `nil`.
    func secondsUntilDue(now: Double) -> Double? {
        var wait: Double?
        if isPlaying { wait = max(0, (nextStep ?? now) - now) }
        if isFollowing { wait = min(wait ?? 0.25, 0.25) }
        return wait
    }
}
