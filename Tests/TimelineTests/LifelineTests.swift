import Foundation
import PackCodec
import Simulations
import Testing
@testable import Timeline

/// Lifelines: one entity's spawns, changes, moves and despawns along a
/// timeline, checked against worlds made to have each, and against the
/// ecosystem sample's own data.
@Suite struct LifelineTests {
    static let body = ComponentType(name: "Body", fields: [Field("x", .float32)])
    static let tag = ComponentType(name: "Tag", fields: [Field("n", .uint8)])

    /// A world where entity 7 (if `x` is given) is in Body alone or Body+Tag, beside entity 1 who never changes.
    static func world(tick: UInt64, x: Float?, tagged: Bool = false) -> Snapshot {
        let schema = Schema(components: [body, tag])
        var plain: [(UInt64, Float)] = [(1, 0)]
        var withTag: [(UInt64, Float)] = []
        if let x { if tagged { withTag.append((7, x)) } else { plain.append((7, x)) } }
        return Snapshot(schema: schema, archetypes: [
            Archetype(components: [body], entities: plain.map { EntityID($0.0) }, columns: [Column(plain.map(\.1))]),
            Archetype(components: [body, tag], entities: withTag.map { EntityID($0.0) }, columns: [Column(withTag.map(\.1)), Column(withTag.map { _ in UInt8(3) })]),
        ], resources: Resources(tick: tick))
    }

    @Test("spawn, change, no change, move, despawn, absence, and a reused id's second life, each where it happened")
    func events() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        let worlds = [Self.world(tick: 0, x: nil), Self.world(tick: 1, x: 1), Self.world(tick: 2, x: 2), Self.world(tick: 3, x: 2),
                      Self.world(tick: 4, x: 2, tagged: true), Self.world(tick: 5, x: nil), Self.world(tick: 6, x: nil), Self.world(tick: 7, x: .nan),
                      Self.world(tick: 8, x: .nan), Self.world(tick: 9, x: -0.0)]
        for world in worlds { try store.commit(world) }
        var life = Lifeline(entity: EntityID(7), along: try store.timeline(of: "main"))
        while !life.isComplete { try life.advance(in: store) }
        #expect(life.events == [
            .absent, .spawned(life: 1), .changed(["Body.x"]), .unchanged, .moved(from: ["Body"], to: ["Body", "Tag"]),
            .despawned, .absent, .spawned(life: 2), .unchanged, .changed(["Body.x"]),
        ])
        #expect(life.lifeCount == 2)
        var steady = Lifeline(entity: EntityID(1), along: try store.timeline(of: "main"))
        while !steady.isComplete { try steady.advance(in: store) }
        #expect(steady.events == [.spawned(life: 1)] + Array(repeating: .unchanged, count: 9))
    }

    @Test("on the ecosystem sample, entity 265's events agree with a plain comparison of each checkpoint's world")
    func ecosystem() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleWorlds/ecosystem").path
        let store = try CheckpointStore.open(sample)
        let timeline = try store.timeline(of: "main")
        var life = Lifeline(entity: EntityID(265), along: timeline)
        while !life.isComplete { try life.advance(in: store) }
        var previous: (components: [String], values: [String: FieldValue])?
        for (index, checkpoint) in timeline.enumerated() {
            let world = try store.snapshot(checkpoint.id)
            var found: ([String], [String: FieldValue])?
            for archetype in world.archetypes {
                guard let row = archetype.entities.firstIndex(of: EntityID(265)) else { continue }
                var values: [String: FieldValue] = [:]
                var column = 0
                for component in archetype.components { for field in component.fields {
                    values["\(component.name).\(field.name)"] = archetype.columns[column].value(at: row)
                    column += 1
                } }
                found = (archetype.components.map(\.name), values)
            }
            let expected: Lifeline.Event
            switch (previous, found) {
            case (nil, nil): expected = .absent
            case (nil, _?): expected = .spawned(life: 1)
            case (_?, nil): expected = .despawned
            case let (before?, now?):
                if before.components != now.0 { expected = .moved(from: before.components, to: now.0) } else {
                    let keys = now.1.keys.filter { now.1[$0] != before.values[$0] }
                    let order = now.1.keys.sorted()
                    expected = keys.isEmpty ? .unchanged : .changed(order.filter(keys.contains))
                }
            }
            if case .changed(let fields) = life.events[index], case .changed(let want) = expected {
                #expect(Set(fields) == Set(want), "\(checkpoint.id)")
            } else {
                #expect(life.events[index] == expected, "\(checkpoint.id)")
            }
            previous = found.map { ($0.0, $0.1) }
        }
        #expect(life.events.contains(.despawned) && life.events.contains { if case .moved = $0 { true } else { false } })
    }
}
