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
        case .stepForward: debugger.step(by: 1)
        case .stepBack: debugger.step(by: -1)
        case .jumpForward: debugger.step(by: 10)
        case .jumpBack: debugger.step(by: -10)
        case .start:
            debugger.session.cursor.seekToStart()
            debugger.settle(towards: 1)
        case .end:
            debugger.session.cursor.seekToEnd()
            debugger.settle(towards: -1)
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
}
