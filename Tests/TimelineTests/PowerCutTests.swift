import Foundation
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
            marks = String(decoding: try store.sideFiles.read("MARKS") ?? [], as: UTF8.self)
            highestID = store.catalog.lastID
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
    /// without edits, delete, record on a fork, delete the fork: every
    /// writing operation of the store.
    static let script: [Step] = [
        Step(description: "commit tick 0") { try $0.commit(Worlds.mixed(seed: 0), info: CheckpointInfo(name: "first")) },
        Step(description: "commit tick 1") { try $0.commit(Worlds.mixed(seed: 1)) },
        Step(description: "commit tick 2") { try $0.commit(Worlds.mixed(seed: 2)) },
        Step(description: "fork fix at c2 with an edit") {
            try $0.fork(from: CheckpointID(rawValue: 2), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "99")])
        },
        Step(description: "mark a at c3") { store in
            try store.sideFiles.update("MARKS") { old in (old ?? []) + Array("a c3 the bug\n".utf8) }
        },
        Step(description: "commit tick 3") { try $0.commit(Worlds.mixed(seed: 3)) },
        Step(description: "prune after tick 1") { try $0.prune(.afterTick(1)) },
        Step(description: "gc") { try $0.collectGarbage() },
        Step(description: "commit tick 4 after gc") { try $0.commit(Worlds.mixed(seed: 4)) },
        Step(description: "fork side at c2 without edits") { try $0.fork(from: CheckpointID(rawValue: 2), name: "side") },
        Step(description: "mark b at c6") { store in
            try store.sideFiles.update("MARKS") { old in (old ?? []) + Array("b c6\n".utf8) }
        },
        Step(description: "delete c1") { try $0.delete([CheckpointID(rawValue: 1)]) },
        Step(description: "commit on side") { try $0.commit(Worlds.mixed(seed: 5), branch: "side") },
        Step(description: "delete branch side") { try $0.deleteBranch("side") },
        Step(description: "rename branch fix to repaired") { try $0.renameBranch("fix", to: "repaired") },
        Step(description: "commit on repaired") { try $0.commit(Worlds.mixed(seed: 5), branch: "repaired") },
    ]

    /// Runs `script` on `folder` until the power goes; returns how many
    /// steps returned.
    static func run(_ script: [Step], on folder: MemoryStoreFolder) -> Int {
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

    /// Cuts the power after every sync point of `script` in turn and checks
    /// each rebooted folder; returns the number of sync points.
    @discardableResult
    static func sweep(_ script: [Step], label: String) throws -> Int {
        // The fingerprints after each step, without power cuts.
        let clean = MemoryStoreFolder()
        let store = try CheckpointStore.open(folder: clean, writable: true, create: true, clock: fixedClock)
        var expected: [Fingerprint?] = [nil] // before the store exists
        for step in script {
            try step.run(store)
            expected.append(try Fingerprint(store))
        }
        let total = clean.syncs
        for cut in 0...total {
            let folder = MemoryStoreFolder()
            folder.cutAfter = cut
            let acknowledged = run(script, on: folder)
            let rebooted = folder.afterPowerCut()
            let during = acknowledged < script.count ? script[acknowledged].description : "nothing"
            // The store reopens for writing (the writer's clean-up runs) and
            // shows the state after `acknowledged` steps, or after the one under way.
            let reopened: CheckpointStore
            do {
                reopened = try CheckpointStore.open(folder: rebooted, writable: true, create: acknowledged == 0, clock: fixedClock)
            } catch {
                Issue.record("\(label): cut after \(cut) syncs, during \(during): reopening failed: \(error)")
                continue
            }
            let found = try Fingerprint(reopened)
            let allowed = [expected[acknowledged], acknowledged < script.count ? expected[acknowledged + 1] : nil].compactMap { $0 }
            let emptyStoreAllowed = acknowledged == 0 && found.checkpoints.isEmpty && found.branches.isEmpty
            #expect(allowed.contains(found) || emptyStoreAllowed, "\(label): cut after \(cut) syncs, during \(during): found \(found)")
            #expect(reopened.verify().isEmpty, "\(label): cut after \(cut) syncs")
            // The store goes on: one more commit, with an id never given out before.
            let next = try reopened.commit(Worlds.mixed(seed: 9), branch: "after")
            #expect(next.id.rawValue == found.highestID + 1)
            let again = try CheckpointStore.open(folder: rebooted, writable: false)
            #expect(try again.snapshot(next.id) == Worlds.mixed(seed: 9))
        }
        return total
    }

    @Test("a power cut at every sync point of record, fork with edits, marks, prune, gc and delete loses no acknowledged step and shows no half step")
    func everySyncPoint() throws {
        let total = try Self.sweep(Self.script, label: "the fixed script")
        #expect(total > 40, "every step has sync points")
        print("power-cut sweep: \(total) sync points")
    }

    /// A random script of `count` steps drawn with `seed`: commits on main
    /// and on forks, forks with and without edits, marks, prunes and gc,
    /// branch deletes and renames, in any order.
    static func randomScript(seed: UInt64, count: Int) -> [Step] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var steps = [Step(description: "commit tick 0") { try $0.commit(Worlds.mixed(seed: 0)) }]
        for n in 1..<count {
            let pick = next(10), value = UInt64(next(50)), fork = "f\(n)"
            switch pick {
            case 0, 1: steps.append(Step(description: "commit \(value)") { try $0.commit(Worlds.mixed(seed: value)) })
            case 2: steps.append(Step(description: "fork \(fork) with an edit") { store in
                guard let base = store.checkpoints.last else { return }
                try store.fork(from: base.id, name: fork, edits: [.set(entity: EntityID(2), component: "Body", field: "x", value: "\(value)")])
            })
            case 3: steps.append(Step(description: "commit on the last branch") { store in
                try store.commit(Worlds.mixed(seed: value), branch: store.branches.last!.name)
            })
            case 4: steps.append(Step(description: "mark") { store in
                guard let last = store.checkpoints.last else { return }
                try store.sideFiles.update("MARKS") { old in (old ?? []) + Array("m \(last.id) \(value)\n".utf8) }
            })
            case 5: steps.append(Step(description: "prune keep \(value % 4 + 1)") { try $0.prune(.keepMostRecent(Int(value % 4) + 1)) })
            case 6: steps.append(Step(description: "gc") { try $0.collectGarbage() })
            case 7: steps.append(Step(description: "delete the last fork nobody forked from") { store in
                let parents = Set(store.branches.compactMap { $0.forkedFrom.flatMap { store.checkpoint($0)?.branch } })
                guard let victim = store.branches.last(where: { $0.name != CheckpointStore.mainBranch && !parents.contains($0.name) }) else { return }
                try store.deleteBranch(victim.name)
            })
            case 8: steps.append(Step(description: "rename the last fork to r\(n)") { store in
                guard let last = store.branches.last, last.name != CheckpointStore.mainBranch else { return }
                try store.renameBranch(last.name, to: "r\(n)")
            })
            default: steps.append(Step(description: "fork \(fork)") { store in
                guard let base = store.checkpoints.first else { return }
                try store.fork(from: base.id, name: fork)
            })
            }
        }
        return steps
    }

    /// How many random scripts to sweep: `TICKSCOPE_POWER_CUT_SCRIPTS`
    /// (`scripts/power-cut.sh N` sets it), 3 in a normal test run.
    static let randomScriptCount = Int(ProcessInfo.processInfo.environment["TICKSCOPE_POWER_CUT_SCRIPTS"] ?? "") ?? 3

    @Test("power cuts at every sync point of random scripts of every writing operation")
    func randomScripts() throws {
        var cuts = 0
        for seed in 0..<UInt64(Self.randomScriptCount) {
            cuts += try Self.sweep(Self.randomScript(seed: seed, count: 14), label: "random script \(seed)") + 1
        }
        print("power-cut sweep: \(Self.randomScriptCount) random scripts, \(cuts) cuts")
    }

    /// Runs `operation` on a store of one checkpoint with the power cut
    /// after its first sync point, then its second, and so on until it
    /// finishes; after each cut, `check` reads the rebooted store (and
    /// whether the operation returned). Returns the number of cuts made.
    static func cutAtEverySyncPoint(
        of operation: (CheckpointStore) throws -> Void, check: (_ reopened: CheckpointStore, _ finished: Bool, _ cut: Int) throws -> Void
    ) throws -> Int {
        let base = MemoryStoreFolder()
        do {
            let store = try CheckpointStore.open(folder: base, writable: true, create: true, clock: Self.fixedClock)
            try store.commit(Worlds.mixed(seed: 0))
        }
        var cut = 0
        while true {
            let folder = base.afterPowerCut()
            folder.cutAfter = cut
            let store = try CheckpointStore.open(folder: folder, writable: true, clock: Self.fixedClock)
            let finished = (try? operation(store)) != nil
            try check(try CheckpointStore.open(folder: folder.afterPowerCut(), writable: false), finished, cut)
            if finished { return cut }
            cut += 1
        }
    }

    @Test("a fork with edits cut at any sync point leaves the branch and its edited checkpoint together or neither")
    func forkIsOneCommit() throws {
        let cuts = try Self.cutAtEverySyncPoint(of: { store in
            _ = try store.fork(from: CheckpointID(rawValue: 1), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "-5")])
        }, check: { reopened, _, cut throws in
            let hasBranch = reopened.branches.contains { $0.name == "fix" }
            let edited = reopened.lastCheckpoint(onBranch: "fix")
            #expect(hasBranch == (edited != nil), "cut after \(cut) syncs of the fork: branch \(hasBranch), checkpoint \(edited != nil)")
            if let edited {
                #expect(try reopened.snapshot(edited.id).archetypes[0].columns[0].values(as: Float.self)[0] == -5)
            }
        })
        #expect(cuts >= 3, "a fork with edits has data, index and MANIFEST sync points")
    }

    @Test("deleting a branch, cut at any sync point: the branch and its checkpoints go together or not at all; its ids are never reused")
    func branchDeleteIsOneCommit() throws {
        let cuts = try Self.cutAtEverySyncPoint(of: { store in
            if !store.branches.contains(where: { $0.name == "fix" }) {
                try store.fork(from: CheckpointID(rawValue: 1), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "-5")])
                try store.commit(Worlds.mixed(seed: 7), branch: "fix")
            }
            try store.deleteBranch("fix")
        }, check: { reopened, finished, cut throws in
            let hasBranch = reopened.branches.contains { $0.name == "fix" }
            let own = reopened.checkpoints.filter { $0.branch == "fix" }.count
            // Never checkpoints of a branch that is gone, never a branch without its edited first checkpoint.
            #expect(hasBranch ? (1...2).contains(own) : own == 0, "cut after \(cut) syncs: branch \(hasBranch), \(own) checkpoints")
            if finished { #expect(!hasBranch && own == 0, "an acknowledged delete is kept") }
        })
        #expect(cuts >= 3)
    }

    @Test("several worlds committed as one, cut at any sync point: the store has all of them or none, and each round-trips")
    func batchIsOneCommit() throws {
        let worlds = (1...4).map { Worlds.mixed(seed: UInt64($0)) }
        let cuts = try Self.cutAtEverySyncPoint(of: { store in
            _ = try store.commit(count: worlds.count) { (worlds[$0], CheckpointInfo(name: "w\($0)")) }
        }, check: { reopened, finished, cut throws in
            let timeline = try reopened.timeline(of: "main")
            #expect(timeline.count == 1 || timeline.count == 5, "cut after \(cut) syncs: \(timeline.count) checkpoints")
            if finished { #expect(timeline.count == 5, "an acknowledged batch is kept") }
            if timeline.count == 5 {
                #expect(try timeline.dropFirst().map { try reopened.snapshot($0.id) } == worlds)
                #expect(timeline.dropFirst().map(\.info.name) == ["w0", "w1", "w2", "w3"])
                #expect(timeline.map(\.id.rawValue) == [1, 2, 3, 4, 5])
            }
        })
        #expect(cuts >= 3, "a batch has data, index and MANIFEST sync points")
    }

    @Test("a disk that fills up at any byte of a commit: the commit fails, none of its bytes stay, and with room again the store goes on holding exactly what was acknowledged")
    func diskFull() throws {
        func committedBytes(_ folder: MemoryStoreFolder) -> Int { folder.contents.values.map(\.count).reduce(0, +) }
        let probe = MemoryStoreFolder()
        let probeStore = try CheckpointStore.open(folder: probe, writable: true, create: true, clock: Self.fixedClock)
        for seed in 0..<2 { try probeStore.commit(Worlds.mixed(seed: UInt64(seed))) }
        let before = committedBytes(probe)
        try probeStore.commit(Worlds.mixed(seed: 2))
        let growth = committedBytes(probe) - before + 200 // the MANIFEST's temporary copy as well
        var failures = 0
        for room in stride(from: 0, through: growth, by: max(1, growth / 150)) {
            let folder = MemoryStoreFolder()
            var acknowledged: [Snapshot] = []
            do {
                let store = try CheckpointStore.open(folder: folder, writable: true, create: true, clock: Self.fixedClock)
                for seed in 0..<3 as Range<UInt64> {
                    if seed == 2 { folder.spaceLeft = room }
                    do {
                        try store.commit(Worlds.mixed(seed: seed))
                        acknowledged.append(Worlds.mixed(seed: seed))
                    } catch {
                        failures += 1
                        // Nothing of the failed commit stays past what the MANIFEST names, unless the MANIFEST swap
                        // itself failed: then the new MANIFEST may be in place (a rename can land before its folder
                        // sync fails), its records stay, and only opening the store again settles which it is.
                        guard store.writer?.unsettledCommit == nil else { continue }
                        let manifest = store.manifest
                        var named = [StoreFileNames.index(manifest.index.number): Int(manifest.index.length)]
                        for extent in manifest.dataFiles { named[StoreFileNames.data(extent.number)] = Int(extent.length) }
                        for (name, length) in named {
                            #expect(folder.contents[name]?.count == length, "room \(room): \(name) holds bytes of the failed commit (\(error))")
                        }
                    }
                }
                folder.spaceLeft = nil
                // With room again the same handle commits on, unless the failure was in the MANIFEST swap,
                // which leaves it unsure of the generation: then the user opens the store again.
                do {
                    try store.commit(Worlds.mixed(seed: 3))
                    acknowledged.append(Worlds.mixed(seed: 3))
                } catch {
                    #expect("\(error)".contains("open the store again"), "room \(room): \(error)")
                }
            }
            if acknowledged.count < 4 {
                let again = try CheckpointStore.open(folder: folder, writable: true, clock: Self.fixedClock)
                try again.commit(Worlds.mixed(seed: 3))
                acknowledged.append(Worlds.mixed(seed: 3))
            }
            let reopened = try CheckpointStore.open(folder: folder.afterPowerCut(), writable: false)
            #expect(try reopened.checkpoints.map { try reopened.snapshot($0.id) } == acknowledged, "room \(room)")
            #expect(reopened.verify().isEmpty, "room \(room)")
        }
        #expect(failures > 100, "most rooms are too small for the commit")
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
