import Foundation
import PackCodec
@testable import ScopeUI
import Testing
import Timeline

/// Work along the timeline, a checkpoint a slice: the search first, then the
/// history, the watches and the lifeline; damage is reported and passed.
@Suite struct TimelineWorkTests {
    @Test("a search takes every slice until it is done, then the history, the watches in order and the lifeline; each value is the store's")
    func order() throws {
        let store = try CheckpointStore.open(ScreenTests.sample)
        let timeline = try store.timeline(of: "main")
        let ids = timeline.map(\.id)
        let components = timeline[0].archetypes[1].signature
        let health = ColumnKey(component: "Health", field: "value")
        let entity = try store.snapshot(timeline[0].id).archetypes[1].entities[0]
        var work = TimelineWork()
        #expect(!work.isPending && work.searchProgress == nil)
        work.watches = [Series(.cell(entity: entity, key: health, components: components), checkpoints: ids),
                        Series(.aggregate(.count, key: health, components: components, filter: nil, filterText: nil), checkpoints: ids)]
        work.history = Series(.cell(entity: entity, key: health, components: components), checkpoints: ids)
        work.lifeline = Lifeline(entity: entity, along: timeline)
        work.search = Search(label: "looking", subject: "last checkpoint", goal: .firstMatch(try FilterExpression.parse("Health.value > 1e30"), components: components, lastHashes: nil),
                             indices: Array(timeline.indices), origin: 0)
        var slices = 0, finished: Search?
        while work.search != nil {
            #expect(work.history!.values.isEmpty && work.watches.allSatisfy { $0.values.isEmpty })
            #expect(work.searchProgress?.contains("of \(timeline.count) checkpoints") == true)
            finished = work.runSlice(timeline: timeline, store: store) { id, _ in Issue.record("\(id) reported damaged") }
            slices += 1
        }
        #expect(slices == timeline.count && finished?.found == nil && finished?.isDone == true, "\(slices) slices, found \(String(describing: finished?.found))")
        // Then the history to its end before the first watch, and both watches before the lifeline.
        var order: [String] = []
        while work.isPending {
            let before = (work.history!.values.count, work.watches.map(\.values.count), work.lifeline!.events.count)
            #expect(work.runSlice(timeline: timeline, store: store) { id, _ in Issue.record("\(id) reported damaged") } == nil)
            let after = (work.history!.values.count, work.watches.map(\.values.count), work.lifeline!.events.count)
            let moved = after.0 > before.0 ? "history" : after.1[0] > before.1[0] ? "watch 0" : after.1[1] > before.1[1] ? "watch 1" : after.2 > before.2 ? "lifeline" : "nothing"
            if order.last != moved { order.append(moved) }
        }
        #expect(order == ["history", "watch 0", "watch 1", "lifeline"])
        let values = try FeatureTests.values(of: entity, health, in: store).map { $0?.number }
        #expect(work.history!.values == values && work.watches[0].values == values)
    }

    @Test("a checkpoint that cannot be read is reported once by each piece of work that meets it, and passed")
    func damage() throws {
        let path = try FeatureTests.copyOfSample()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clean = try CheckpointStore.open(path)
        let victim = try clean.resolve("80")
        let ref = victim.archetypes[1].columns[3]
        let entity = try clean.snapshot(victim.id).archetypes[1].entities[0]
        let components = victim.archetypes[1].signature
        let key = victim.archetypes[1].components.flatMap { component in component.fields.map { ColumnKey(component: component.name, field: $0.name) } }[3]
        let values = try FeatureTests.values(of: entity, key, in: clean)
        try FeatureTests.flipByte(in: ref, of: path)
        let store = try CheckpointStore.open(path)
        let timeline = try store.timeline(of: "main")
        let position = try #require(timeline.firstIndex { $0.id == victim.id })
        var work = TimelineWork()
        work.watches = [Series(.cell(entity: entity, key: key, components: components), checkpoints: timeline.map(\.id))]
        // The next change of the cell, looked for from the checkpoint before the damaged one: it reads that one.
        work.search = Search(label: "looking", subject: "next change",
                             goal: .cellChange(forward: true, probe: CellProbe(entity: entity, key: key, components: components), previous: values[position - 1]),
                             indices: [position], origin: position - 1)
        var reported: [CheckpointID] = []
        var finished: Search?
        while work.isPending {
            if let done = work.runSlice(timeline: timeline, store: store, damaged: { id, _ in reported.append(id) }) { finished = done }
        }
        #expect(reported == [victim.id, victim.id], "once by the search, once by the watch")
        #expect(finished?.unreadable == [victim.id] && finished?.found == nil)
        #expect(work.watches[0].values[position] == nil && work.watches[0].isComplete)
        // Every other checkpoint has its value, as read from the undamaged copy.
        var expected = values.map { $0?.number }
        expected[position] = nil
        #expect(work.watches[0].values == expected)
    }
}
