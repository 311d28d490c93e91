import Foundation
import PackCodec
import Testing
@testable import Timeline

/// Trimming a store: deleting and pruning checkpoints, and collecting the
/// space they held (`gc`), which keeps every live checkpoint and timeline.
@Suite struct PruneAndGCTests {
    @Test("deleted and pruned checkpoints are gone after reopen; gc shrinks the store and keeps the rest")
    func pruneAndCollect() throws {
        let directory = StoreDirectory()
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            for seed in 0..<10 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
            try store.delete([CheckpointID(rawValue: 2)])
            #expect(try store.prune(.keepMostRecent(5)).count == 4)
            #expect(try store.prune(.afterTick(8)).map(\.rawValue) == [10])
        }
        let store = try CheckpointStore.openForWriting(directory.path)
        #expect(store.checkpoints.map(\.tick) == [5, 6, 7, 8])
        let (before, after) = try store.collectGarbage()
        #expect(after < before)
        #expect(store.verify().isEmpty)
        let reopened = try CheckpointStore.open(directory.path)
        #expect(reopened.checkpoints.map(\.tick) == [5, 6, 7, 8])
        for checkpoint in reopened.checkpoints {
            #expect(try reopened.snapshot(checkpoint.id) == Worlds.mixed(seed: checkpoint.tick))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["LOCK", "MANIFEST", "data-000002.tsd", "index-000002.tsi"])
    }

    @Test("prune trims a recording and never deletes all of it; what a rule selects can be listed first; gc with nothing to take out writes nothing")
    func pruneKeepsOneAndGCWithoutGarbage() throws {
        let directory = StoreDirectory()
        do {
            let store = try CheckpointStore.openForWriting(directory.path)
            for seed in 0..<4 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
            #expect(!store.hasGarbage, "only recorded into")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let manifest = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST"))
            let (before, after) = try store.collectGarbage()
            #expect(before == after)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == files)
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/MANIFEST")) == manifest, "no new generation")
            for rule: CheckpointStore.PruneRule in [.keepMostRecent(0), .beforeTick(4), .beforeTime(1e9)] {
                #expect(store.checkpoints(prunedBy: rule).count == 4)
                #expect(throws: TimelineError.self, "\(rule)") { try store.prune(rule) }
            }
            #expect(store.checkpoints.count == 4, "a refused prune deletes nothing")
            #expect(store.checkpoints(prunedBy: .afterTick(1)).map(\.tick) == [2, 3])
            #expect(store.checkpoints.count == 4, "listing deletes nothing")
            #expect(try store.prune(.keepMostRecent(1)).map(\.rawValue) == [1, 2, 3])
            #expect(store.hasGarbage)
            try store.collectGarbage()
            #expect(!store.hasGarbage, "just collected")
            try store.renameBranch(CheckpointStore.mainBranch, to: "trunk")
            #expect(store.hasGarbage, "a rename is a record gc folds away")
        }
        let reopened = try CheckpointStore.openForWriting(directory.path)
        #expect(reopened.hasGarbage)
        try reopened.collectGarbage()
        #expect(reopened.branches.map(\.name) == ["trunk"])
        #expect(try reopened.snapshot(reopened.checkpoints[0].id) == Worlds.mixed(seed: 3))
        // Naming the checkpoints still deletes them all.
        try reopened.delete(reopened.checkpoints.map(\.id))
        #expect(reopened.checkpoints.isEmpty)
    }

    @Test("a checkpoint deleted in the middle of a branch, then gc: the branch's timeline keeps every checkpoint before and after it, in order, on reopen too")
    func gcKeepsTheTimelineAroundADeletedCheckpoint() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        for seed in 0..<8 as Range<UInt64> { try store.commit(Worlds.mixed(seed: seed)) }
        try store.delete([CheckpointID(rawValue: 4), CheckpointID(rawValue: 5)])
        let expected: [UInt64] = [0, 1, 2, 5, 6, 7]
        #expect(try store.timeline(of: CheckpointStore.mainBranch).map(\.tick) == expected)
        _ = try store.collectGarbage()
        #expect(try store.timeline(of: CheckpointStore.mainBranch).map(\.tick) == expected)
        let reopened = try CheckpointStore.open(directory.path)
        let timeline = try reopened.timeline(of: CheckpointStore.mainBranch)
        #expect(timeline.map(\.tick) == expected)
        #expect(timeline.map { $0.parent?.rawValue } == [nil, 1, 2, 3, 6, 7])
        for checkpoint in timeline { #expect(try reopened.snapshot(checkpoint.id) == Worlds.mixed(seed: checkpoint.tick)) }
        #expect(reopened.verify().isEmpty)
    }
}
