import PackCodec
import Testing
@testable import Timeline

/// Power cuts at every sync point of every writing operation: after the
/// Nth durable step the power goes, the folder keeps only what was synced,
/// and the reopened store must show exactly the operations that had
/// returned (plus, at most, the one under way, whole) and nothing else.
@Suite struct PowerCutTests {
    /// What a user can see of a store: live checkpoints with their worlds,
    /// branches with their fork points, deleted ids, marks, and the highest
    /// id ever given out.
    struct Fingerprint: Equatable, CustomStringConvertible {
        var checkpoints: [String]
        var worlds: [Snapshot]
        var branches: [String]
        var marks: String
        var highestID: UInt64

        init(_ store: CheckpointStore) throws {
            checkpoints = store.checkpoints.map { "\($0.id) \($0.branch) parent \($0.parent?.description ?? "-") tick \($0.tick) \($0.info.name)" }
            worlds = try store.checkpoints.map { try store.snapshot($0.id) }
            branches = store.branches.map { "\($0.name) from \($0.forkedFrom?.description ?? "-")" }
            marks = String(decoding: try store.readSideFile("MARKS") ?? [], as: UTF8.self)
            highestID = store.lastID
        }

        var description: String { "\(checkpoints) \(branches) marks \(marks.debugDescription) highest c\(highestID)" }
    }

    /// One writing operation of the script.
    struct Step: Sendable, CustomStringConvertible {
        let description: String
        let run: @Sendable (CheckpointStore) throws -> Void
    }

    static let fixedClock: @Sendable () -> Int64 = { 1_795_000_000_000 }

    /// Record, fork with an edit, mark, prune, gc, record on after gc, fork
    /// without edits, delete: every writing operation of the store.
    static let script: [Step] = [
        Step(description: "commit tick 0") { try $0.commit(Worlds.mixed(seed: 0), info: CheckpointInfo(name: "first")) },
        Step(description: "commit tick 1") { try $0.commit(Worlds.mixed(seed: 1)) },
        Step(description: "commit tick 2") { try $0.commit(Worlds.mixed(seed: 2)) },
        Step(description: "fork fix at c2 with an edit") {
            try $0.fork(from: CheckpointID(rawValue: 2), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "99")])
        },
        Step(description: "mark a at c3") { store in
            try store.updateSideFile("MARKS") { old in (old ?? []) + Array("a c3 the bug\n".utf8) }
        },
        Step(description: "commit tick 3") { try $0.commit(Worlds.mixed(seed: 3)) },
        Step(description: "prune after tick 1") { try $0.prune(.afterTick(1)) },
        Step(description: "gc") { try $0.collectGarbage() },
        Step(description: "commit tick 4 after gc") { try $0.commit(Worlds.mixed(seed: 4)) },
        Step(description: "fork side at c2 without edits") { try $0.fork(from: CheckpointID(rawValue: 2), name: "side") },
        Step(description: "mark b at c6") { store in
            try store.updateSideFile("MARKS") { old in (old ?? []) + Array("b c6\n".utf8) }
        },
        Step(description: "delete c1") { try $0.delete([CheckpointID(rawValue: 1)]) },
        Step(description: "commit on fix") { try $0.commit(Worlds.mixed(seed: 5), branch: "fix") },
    ]

    /// Runs the script on `folder` until the power goes; returns how many
    /// steps returned.
    static func run(_ folder: MemoryStoreFolder) -> Int {
        do {
            let store = try CheckpointStore.open(folder: folder, writable: true, create: true, clock: fixedClock)
            for (index, step) in script.enumerated() {
                do { try step.run(store) } catch { return index }
            }
            return script.count
        } catch {
            return 0
        }
    }

    @Test("a power cut at every sync point of record, fork with edits, marks, prune, gc and delete loses no acknowledged step and shows no half step")
    func everySyncPoint() throws {
        // The fingerprints after each step, without power cuts.
        let clean = MemoryStoreFolder()
        let store = try CheckpointStore.open(folder: clean, writable: true, create: true, clock: Self.fixedClock)
        var expected: [Fingerprint?] = [nil] // before the store exists
        for step in Self.script {
            try step.run(store)
            expected.append(try Fingerprint(store))
        }
        let total = clean.syncs
        #expect(total > 40, "every step has sync points"); print("power-cut sweep: \(total) sync points")
        for cut in 0...total {
            let folder = MemoryStoreFolder()
            folder.cutAfter = cut
            let acknowledged = Self.run(folder)
            let rebooted = folder.afterPowerCut()
            // The store reopens for writing (the writer's clean-up runs) and
            // shows the state after `acknowledged` steps, or after the one under way.
            let reopened: CheckpointStore
            do {
                reopened = try CheckpointStore.open(folder: rebooted, writable: true, create: acknowledged == 0, clock: Self.fixedClock)
            } catch {
                Issue.record("cut after \(cut) syncs (\(acknowledged) steps acknowledged): reopening failed: \(error)")
                continue
            }
            let found = try Fingerprint(reopened)
            let allowed = [expected[acknowledged], acknowledged < Self.script.count ? expected[acknowledged + 1] : nil].compactMap { $0 }
            let emptyStoreAllowed = acknowledged == 0 && found.checkpoints.isEmpty && found.branches.isEmpty
            #expect(allowed.contains(found) || emptyStoreAllowed,
                    "cut after \(cut) syncs, during \(acknowledged < Self.script.count ? Self.script[acknowledged].description : "nothing"): found \(found)")
            #expect(reopened.verify().isEmpty, "cut after \(cut) syncs")
            // The store goes on: one more commit, with an id never given out before.
            let next = try reopened.commit(Worlds.mixed(seed: 9), branch: "after")
            #expect(next.id.rawValue == found.highestID + 1)
            let again = try CheckpointStore.open(folder: rebooted, writable: false)
            #expect(try again.snapshot(next.id) == Worlds.mixed(seed: 9))
        }
    }

    @Test("a fork with edits cut at any sync point leaves the branch and its edited checkpoint together or neither")
    func forkIsOneCommit() throws {
        let base = MemoryStoreFolder()
        do {
            let store = try CheckpointStore.open(folder: base, writable: true, create: true, clock: Self.fixedClock)
            try store.commit(Worlds.mixed(seed: 0))
        }
        let before = base.syncs
        var cut = 0
        while true {
            let folder = base.afterPowerCut()
            folder.cutAfter = cut
            let store = try CheckpointStore.open(folder: folder, writable: true, clock: Self.fixedClock)
            let finished = (try? store.fork(from: CheckpointID(rawValue: 1), name: "fix",
                                            edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "-5")])) != nil
            let reopened = try CheckpointStore.open(folder: folder.afterPowerCut(), writable: false)
            let hasBranch = reopened.branches.contains { $0.name == "fix" }
            let edited = reopened.lastCheckpoint(onBranch: "fix")
            #expect(hasBranch == (edited != nil), "cut after \(cut) syncs of the fork: branch \(hasBranch), checkpoint \(edited != nil)")
            if let edited {
                #expect(try reopened.snapshot(edited.id).archetypes[0].columns[0].values(as: Float.self)[0] == -5)
            }
            if finished { break }
            cut += 1
        }
        #expect(cut >= 3, "a fork with edits has data, index and MANIFEST sync points (\(before) before it)")
    }

    @Test("a failed folder sync fails the commit with the folder's path, and the handle commits nothing more")
    func failedFolderSync() throws {
        let folder = MemoryStoreFolder()
        let store = try CheckpointStore.open(folder: folder, writable: true, create: true, clock: Self.fixedClock)
        try store.commit(Worlds.mixed(seed: 0))
        folder.failFolderSync = true
        #expect(throws: TimelineError.file(path: folder.path, .io(operation: "cannot sync the folder", path: folder.path, errno: 5))) {
            try store.commit(Worlds.mixed(seed: 1))
        }
        folder.failFolderSync = false
        #expect(throws: TimelineError.self) { try store.commit(Worlds.mixed(seed: 2)) }
        // What is on disk is one generation or the other, whole.
        let reopened = try CheckpointStore.open(folder: folder.afterPowerCut(), writable: false)
        #expect(reopened.checkpoints.count == 1)
        #expect(reopened.verify().isEmpty)
    }
}
