import PackCodec

/// One entity's life along a timeline, a checkpoint at a time: where it
/// was spawned, which of its fields changed, when it moved to another
/// archetype and when it was despawned. An id that comes back after being
/// gone is a new life, numbered, so a reused id is told apart from the
/// entity that had it before. Blocks whose content hash did not change are
/// not decoded again.
///
/// ```swift
/// var life = Lifeline(entity: EntityID(265), along: try store.timeline(of: "main"))
/// while !life.isComplete { try life.advance(in: store) }
/// life.events[100]   // .changed(["Health.value"]) — the bite of tick 100
/// ```
public struct Lifeline: Sendable, Equatable {
    /// What happened to the entity at one checkpoint.
    public enum Event: Sendable, Equatable {
        /// Not in the world.
        case absent
        /// Appeared here: at the first checkpoint, or again after being gone (`life` counts from 1).
        case spawned(life: Int)
        /// Present, nothing of it changed since the checkpoint before.
        case unchanged
        /// Present in the same archetype; these fields (`Component.field`) changed.
        case changed([String])
        /// Moved from one archetype (its component names) to another.
        case moved(from: [String], to: [String])
        /// Gone here, present at the checkpoint before.
        case despawned
        /// This checkpoint could not be read: nothing is known of it here.
        case unreadable
    }

    /// The entity followed.
    public let entity: EntityID
    /// The timeline it is followed along.
    public let checkpoints: [Checkpoint]
    /// One event per checkpoint computed so far.
    public private(set) var events: [Event] = []

    /// Where the entity was at the last checkpoint computed.
    private var last: (archetype: StoredArchetype, row: Int)?
    private var lives = 0
    /// Entity-id blocks already searched, by content hash: the entity's row, or nil.
    private var searched: [ContentHash: Int?] = [:]

    /// A lifeline of `entity` along `checkpoints`, nothing computed yet.
    public init(entity: EntityID, along checkpoints: [Checkpoint]) {
        self.entity = entity
        self.checkpoints = checkpoints
    }

    /// Same entity, same timeline, same events so far.
    public static func == (a: Lifeline, b: Lifeline) -> Bool { a.entity == b.entity && a.checkpoints == b.checkpoints && a.events == b.events }

    /// Whether every checkpoint has its event.
    public var isComplete: Bool { events.count == checkpoints.count }

    /// How many times the entity appeared (its lives so far).
    public var lifeCount: Int { lives }

    /// Records that the next checkpoint cannot be read (its event is
    /// `.unreadable`); the one after is compared with the last one read.
    public mutating func skipUnreadable() {
        guard !isComplete else { return }
        events.append(.unreadable)
    }

    /// Computes the next checkpoint's event.
    public mutating func advance(in store: CheckpointStore) throws(TimelineError) {
        guard !isComplete else { return }
        let checkpoint = checkpoints[events.count]
        var found: (archetype: StoredArchetype, row: Int)?
        for archetype in checkpoint.archetypes where archetype.entityCount > 0 {
            if let row = try row(in: archetype, store: store, label: checkpoint.id.description) {
                found = (archetype, row)
                break
            }
        }
        defer { last = found }
        guard let found else {
            events.append(last == nil ? .absent : .despawned)
            return
        }
        guard let before = last else {
            lives += 1
            events.append(.spawned(life: lives))
            return
        }
        guard found.archetype.signature == before.archetype.signature else {
            events.append(.moved(from: before.archetype.signature.names, to: found.archetype.signature.names))
            return
        }
        var changed: [String] = []
        let keys = found.archetype.components.flatMap { c in c.fields.map { "\(c.name).\($0.name)" } }
        for (index, ref) in found.archetype.columns.enumerated() {
            let old = before.archetype.columns[index]
            if ref.contentHash == old.contentHash, found.row == before.row { continue }
            let now = try store.column(ref, label: "\(keys[index]) of \(checkpoint.id)").value(at: found.row)
            let then = try store.column(old, label: "\(keys[index])").value(at: before.row)
            // FieldValue compares bit for bit: NaN to the same NaN is no change, -0 to 0 is one.
            if now != then { changed.append(keys[index]) }
        }
        events.append(changed.isEmpty ? .unchanged : .changed(changed))
    }

    private mutating func row(in archetype: StoredArchetype, store: CheckpointStore, label: String) throws(TimelineError) -> Int? {
        if let known = searched[archetype.entities.contentHash] { return known }
        let ids = try store.entities(archetype.entities, label: "entity ids of \(label)")
        let row = ids.firstIndex(of: entity)
        if searched.count > 256 { searched.removeAll() }
        searched[archetype.entities.contentHash] = row
        return row
    }
}

extension Lifeline.Event: CustomStringConvertible {
    /// Whether something happened to the entity here (not absent, not unchanged).
    public var isNotable: Bool {
        switch self {
        case .absent, .unchanged: false
        default: true
        }
    }

    /// `changed Health.value`, `moved from Position+Health to Position+Corpse`, …
    public var description: String {
        switch self {
        case .absent: "absent"
        case .unchanged: "unchanged"
        case .spawned(let life): life == 1 ? "spawned" : "spawned again (life \(life): the id was reused)"
        case .changed(let fields): "changed " + fields.joined(separator: ", ")
        case .moved(let from, let to): "moved from \(from.joined(separator: "+")) to \(to.joined(separator: "+"))"
        case .despawned: "despawned"
        case .unreadable: "could not be read"
        }
    }
}

extension Lifeline {
    /// The index of the next (or previous) notable event after (or before)
    /// checkpoint index `position`, among those computed so far.
    public func event(from position: Int, forward: Bool) -> Int? {
        let indices = forward ? Array(max(0, position + 1)..<events.count) : Array((0..<max(0, min(position, events.count))).reversed())
        return indices.first { events[$0].isNotable }
    }

    /// `#265 119 changes, 1 move` (and the lives of a reused id), `…` while incomplete.
    public var summary: String {
        var changes = 0, moves = 0
        for event in events {
            if case .changed = event { changes += 1 }
            if case .moved = event { moves += 1 }
        }
        let lives = lifeCount <= 1 ? "" : ", \(lifeCount) lives"
        return "#\(entity.rawValue) \(changes) change\(changes == 1 ? "" : "s"), \(moves) move\(moves == 1 ? "" : "s")\(lives)" + (isComplete ? "" : " …")
    }
}
