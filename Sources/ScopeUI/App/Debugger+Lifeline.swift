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
        guard let index = lifeline.event(from: cursor.position, forward: forward) else {
            message = (lifeline.isComplete ? "no \(forward ? "later" : "earlier") event of #\(lifeline.entity.rawValue)" : "the lifeline is still being read", false)
            return
        }
        let event = lifeline.events[index]
        session.cursor.seek(toIndex: index)
        reload()
        // Gone at a despawn: there is no row to select.
        if event != .despawned { gotoEntity(String(lifeline.entity.rawValue)) }
        if message?.isError != true { message = ("#\(lifeline.entity.rawValue) at \(cursor.current!.id): \(event)", false) }
    }
}
