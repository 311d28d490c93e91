import Foundation
import Interop
import PackCodec
import Simulations
import Testing
import Timeline

/// What the debugger highlights and what `tickscope diff --json` prints
/// must be the same cells for the same two checkpoints: random pairs of
/// the ecosystem sample (births, deaths, corpses moving archetype) and a
/// fork with edits, each compared archetype by archetype.
@Suite struct DiffAgreementTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleWorlds/ecosystem").path

    @Test("random pairs: the session's highlights equal diff --json's spawned, moved and changed cells")
    func randomPairs() throws {
        let scratch = try Scratch()
        let directory = scratch.file("ecosystem")
        try FileManager.default.copyItem(atPath: Self.sample, toPath: directory)
        do {
            let writer = try CheckpointStore.openForWriting(directory)
            let base = try #require(writer.checkpoints.first { $0.tick == 120 })
            let living = try #require(try writer.snapshot(base.id).archetypes.first { $0.column(component: "Health", field: "value") != nil })
            try writer.fork(from: base.id, name: "edited", edits: [
                .set(entity: living.entities[0], component: "Health", field: "value", value: "-5"), .despawn(living.entities[1]),
            ])
        }
        let store = try CheckpointStore.open(directory)
        let all = store.checkpoints
        var random = SplitMix64(state: 0xD1FF)
        var pairs = (0..<10).map { _ in (all[Int(random.next() % UInt64(all.count))], all[Int(random.next() % UInt64(all.count))]) }
        pairs.append((try #require(all.first { $0.tick == 120 && $0.branch == "main" }), try #require(all.last)))
        var seen = (cells: 0, spawned: 0, movedIn: 0)
        for (from, to) in pairs where from.id != to.id {
            let result = try TickscopeProcess.run(["diff", directory, from.id.description, to.id.description, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONParser.parse(Array(result.stdout.utf8.dropLast()))
            func ids(_ value: JSONValue?) -> [EntityID] {
                guard case .array(let items)? = value else { return [] }
                return items.compactMap { item -> EntityID? in if case .number(let text) = item, let id = UInt64(text) { EntityID(rawValue: id) } else { nil } }
            }
            let spawned = Set(ids(json["spawned"]))
            guard case .array(let movedItems)? = json["moved"], case .array(let changedItems)? = json["changed"] else {
                Issue.record("diff --json has no moved or changed"); continue
            }
            var movedTo: [EntityID: [String]] = [:]
            for item in movedItems {
                guard case .array(let names)? = item["to"] else { continue }
                movedTo[ids(.array([item["entity"] ?? .null]))[0]] = names.compactMap { if case .string(let name) = $0 { name } else { nil } }
            }
            var cells = Set<String>()
            for item in changedItems {
                guard case .number(let entity)? = item["entity"], case .string(let component)? = item["component"], case .string(let field)? = item["field"]
                else { continue }
                cells.insert("\(entity) \(component).\(field)")
            }

            let session = try Session(store: store)
            try session.position(at: to)
            session.diffBase = from.id
            for index in to.archetypes.indices {
                try session.load(archetype: index)
                let view = try #require(session.view), changes = try #require(view.changes)
                let names = to.archetypes[index].signature.names
                let here = Set(view.ids)
                let context = "\(from.id) -> \(to.id), archetype \(names)"
                #expect(Set(changes.spawned.rows.map { view.ids[$0] }) == spawned.intersection(here), "spawned, \(context)")
                #expect(Set(changes.movedIn.rows.map { view.ids[$0] }) == Set(movedTo.filter { $0.value == names }.keys), "moved in, \(context)")
                var highlighted = Set<String>()
                for (column, rows) in changes.columns.enumerated() {
                    for row in rows?.rows ?? [] { highlighted.insert("\(view.ids[row].rawValue) \(view.keys[column])") }
                }
                let printed = cells.filter { cell in
                    let id = EntityID(rawValue: UInt64(cell.prefix { $0 != " " })!)
                    return here.contains(id) && movedTo[id] == nil
                }
                #expect(highlighted == printed, "changed cells, \(context)")
                seen.cells += highlighted.count
                seen.spawned += changes.spawned.count
                seen.movedIn += changes.movedIn.count
            }
        }
        // The pairs exercised every kind of highlight.
        #expect(seen.cells > 100 && seen.spawned > 0 && seen.movedIn > 0, "\(seen)")
    }
}
