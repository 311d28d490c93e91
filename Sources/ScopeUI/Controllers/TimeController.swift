import Timeline

/// Moving in time: stepping, jumping, the ends, playing and following.
enum TimeController: Controller {
    static let group = ActionGroup.time

    static func unavailability(of action: Action, in debugger: Debugger) -> String? {
        switch action {
        case .stepForward, .jumpForward, .end: debugger.isAtLastCheckpoint ? "at the last checkpoint" : nil
        case .stepBack, .jumpBack, .start: debugger.isAtFirstCheckpoint ? "at the first checkpoint" : nil
        default: nil
        }
    }

    static func perform(_ action: Action, on debugger: Debugger) -> Bool {
        switch action {
        case .stepForward: step(by: 1, on: debugger)
        case .stepBack: step(by: -1, on: debugger)
        case .jumpForward: step(by: 10, on: debugger)
        case .jumpBack: step(by: -10, on: debugger)
        case .start:
            debugger.session.cursor.seekToStart()
            settle(towards: 1, on: debugger)
        case .end:
            debugger.session.cursor.seekToEnd()
            settle(towards: -1, on: debugger)
        case .playPause:
            debugger.playback.togglePlaying()
            if debugger.isPlaying, debugger.isAtLastCheckpoint, !debugger.isFollowing {
                debugger.session.cursor.seekToStart()
                debugger.reload()
            }
            debugger.message = (debugger.isPlaying
                ? "playing at \(debugger.playback.speedLabel) checkpoints a second (space pauses, + and - change speed)" : "paused", false)
        case .faster, .slower:
            debugger.playback.changeSpeed(faster: action == .faster)
            debugger.message = ("speed: \(debugger.playback.speedLabel) checkpoints a second", false)
        case .toggleFollow:
            debugger.playback.isFollowing.toggle()
            debugger.message = (debugger.isFollowing ? "following the recording as it grows" : "not following", false)
        default: return false
        }
        return true
    }

    /// Steps `delta` checkpoints (±1 or ±10), stepping on past damaged ones
    /// in the same direction with a message naming them.
    private static func step(by delta: Int, on debugger: Debugger) {
        guard debugger.session.cursor.step(delta) else {
            debugger.message = ("at the \(delta > 0 ? "last" : "first") checkpoint", false)
            return
        }
        settle(towards: delta > 0 ? 1 : -1, on: debugger)
    }

    /// Loads where the cursor now is, stepping on in `direction` past
    /// checkpoints that cannot be read, with a message naming them.
    private static func settle(towards direction: Int, on debugger: Debugger) {
        var skipped: [CheckpointID] = []
        while !debugger.reload(), let id = debugger.cursor.current?.id {
            skipped.append(id)
            guard debugger.session.cursor.step(direction) else { return }
        }
        if !skipped.isEmpty {
            debugger.message = ("skipped \(skipped.map(\.description).joined(separator: ", ")): cannot be read (\(debugger.damaged[skipped[0]] ?? "")); "
                + "marked ! on the timeline", true)
        }
    }

    /// Playing and following, at monotonic time `now` (seconds): steps when
    /// a step is due, picks up new checkpoints of a live recording, and
    /// polls a resume that is running.
    static func advance(to now: Double, on debugger: Debugger) {
        ResumeController.pollResume(on: debugger)
        if debugger.isFollowing || debugger.resumeRun != nil { follow(on: debugger) }
        guard debugger.work.search == nil, debugger.playback.takeDueStep(now: now) else { return }
        if debugger.session.cursor.step(1) {
            debugger.reload()
        } else if !debugger.isFollowing {
            debugger.playback.isPlaying = false
            debugger.message = ("played to the last checkpoint", false)
        }
    }

    /// Rereads the store; when the timeline grew, shows the new end if the
    /// cursor was at the end (like `tail -f`).
    static func follow(on debugger: Debugger) {
        do {
            guard try debugger.session.follow() else { return }
            debugger.playback.hasGrown = true
            debugger.reload()
        } catch {
            debugger.message = (error.description, true)
        }
    }
}
