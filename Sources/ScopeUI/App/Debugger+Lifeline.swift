import PackCodec
import Timeline

extension Debugger {
    /// `o`: the selected entity's lifeline as a lane under the timeline (or
    /// away again); it fills in while the debugger is idle.
    func toggleLifeline() {
        if let lifeline, lifeline.entity == selectedCell?.entity {
            self.lifeline = nil
            message = ("lifeline of #\(lifeline.entity.rawValue) removed", false)
            return
        }
        guard let entity = selectedCell?.entity else { message = ("select an entity first", true); return }
        lifeline = Lifeline(entity: entity, along: cursor.checkpoints)
        message = ("lifeline of #\(entity.rawValue): ) and ( go to its next and previous event", false)
    }

    /// `)` and `(`: the next or previous checkpoint where the lifeline has
    /// an event (spawn, change, move, despawn), selecting the entity there.
    func jumpAlongLifeline(forward: Bool) {
        guard let lifeline else { message = ("no lifeline: o shows the selected entity's", true); return }
        let events = lifeline.events
        let stride = forward ? Array((cursor.position + 1)..<events.count) : Array((0..<min(cursor.position, events.count)).reversed())
        guard let index = stride.first(where: { Self.isEvent(events[$0]) }) else {
            message = (lifeline.isComplete ? "no \(forward ? "later" : "earlier") event of #\(lifeline.entity.rawValue)" : "the lifeline is still being read", false)
            return
        }
        cursor.seek(toIndex: index)
        reload()
        // Gone at a despawn: there is no row to select.
        if events[index] != .despawned { gotoEntity(String(lifeline.entity.rawValue)) }
        if message?.isError != true { message = ("#\(lifeline.entity.rawValue) at \(cursor.current!.id): \(Self.describe(events[index]))", false) }
    }

    static func isEvent(_ event: Lifeline.Event) -> Bool {
        switch event {
        case .absent, .unchanged: false
        default: true
        }
    }

    static func describe(_ event: Lifeline.Event) -> String {
        switch event {
        case .absent: "absent"
        case .unchanged: "unchanged"
        case .spawned(let life): life == 1 ? "spawned" : "spawned again (life \(life): the id was reused)"
        case .changed(let fields): "changed " + fields.joined(separator: ", ")
        case .moved(let from, let to): "moved from \(from.joined(separator: "+")) to \(to.joined(separator: "+"))"
        case .despawned: "despawned"
        }
    }

    /// The lane's right-hand summary: lives, changes, moves.
    var lifelineSummary: String? {
        guard let lifeline else { return nil }
        var changes = 0, moves = 0
        for event in lifeline.events {
            if case .changed = event { changes += 1 }
            if case .moved = event { moves += 1 }
        }
        let lives = lifeline.lifeCount == 1 ? "" : ", \(lifeline.lifeCount) lives"
        return "#\(lifeline.entity.rawValue) \(changes) change\(changes == 1 ? "" : "s"), \(moves) move\(moves == 1 ? "" : "s")\(lives)"
            + (lifeline.isComplete ? "" : " …")
    }

    /// `:stats`: what showing the current checkpoint cost.
    func showStatistics() {
        guard let lastLoad else { message = ("nothing loaded yet", false); return }
        let reads = lastLoad.reads
        func size(_ bytes: Int) -> String { bytes < 10_000 ? "\(bytes) B" : bytes < 10_000_000 ? "\(bytes / 1000) KB" : "\(bytes / 1_000_000) MB" }
        let ms = (lastLoad.milliseconds * 100).rounded() / 100
        message = ("\(lastLoad.checkpoint): \(reads.blocksDecoded) block\(reads.blocksDecoded == 1 ? "" : "s") decoded (\(size(reads.storedBytes)) stored, "
                   + "\(size(reads.decodedBytes)) decoded), \(reads.cacheHits) cache hit\(reads.cacheHits == 1 ? "" : "s"), \(ms) ms"
                   + (damaged.isEmpty ? "" : "; \(damaged.count) damaged checkpoint\(damaged.count == 1 ? "" : "s") seen"), false)
    }
}
