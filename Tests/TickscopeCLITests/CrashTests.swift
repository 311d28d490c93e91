import Foundation
import PackCodec
import Simulations
import Testing
import Timeline

/// The store's crash safety, tested with real processes: `tickscope record`
/// is killed with SIGKILL at random instants and the store reopened.
@Suite(.serialized) struct CrashTests {
    static let entities = 300
    static let ticks = 40

    /// The worlds W3 gives at ticks 0…40 with 300 entities.
    static let reference: [Snapshot] = {
        var simulation = SwarmTimeline(entities: entities)
        var worlds = [simulation.snapshot]
        for _ in 0..<ticks {
            simulation.advance()
            worlds.append(simulation.snapshot)
        }
        return worlds
    }()

    static func startRecording(_ directory: String, ticks: Int = ticks) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = TickscopeProcess.binary
        process.arguments = ["record", "swarm", directory, "--entities", String(entities), "--ticks", String(ticks)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    @Test("killed at 200 random instants, the store reopens with exactly the committed checkpoints, intact")
    func killDuringRecording() throws {
        var random = SplitMix64(state: 2026)
        var killedMidway = 0
        // Kill instants are drawn over the time a whole recording takes on
        // this machine, so most land mid-recording however fast it is. Other
        // suites run beside this one, so that time drifts: a kill after the
        // end shrinks the window a little, one before the store exists
        // widens it.
        let timing = try Scratch()
        let started = Date()
        let (whole, _) = try Self.startRecording(timing.file("store"))
        whole.waitUntilExit()
        var window = UInt64(max(2_000, Date().timeIntervalSince(started) * 1_000_000))
        for round in 0..<200 {
            let scratch = try Scratch()
            let directory = scratch.file("store")
            let (process, out) = try Self.startRecording(directory)
            usleep(UInt32(random.next() % window))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").filter { $0.hasPrefix("committed ") }.count
            guard FileManager.default.fileExists(atPath: directory + "/MANIFEST") else {
                #expect(printed == 0, "round \(round): commits reported but no store")
                window += window / 10
                continue
            }
            let store = try CheckpointStore.open(directory)
            let stored = store.checkpoints
            #expect(stored.count >= printed && stored.count <= printed + 1, "round \(round): \(printed) reported, \(stored.count) stored")
            if stored.count < Self.ticks + 1 { killedMidway += 1 } else { window = max(2_000, window - window / 10) }
            for (index, checkpoint) in stored.enumerated() {
                #expect(checkpoint.tick == UInt64(index))
                #expect(try store.snapshot(checkpoint.id) == Self.reference[index], "round \(round), tick \(index)")
            }
            if round % 4 == 0 {
                // A writer reopening drops any torn append and carries on.
                let writer = try CheckpointStore.openForWriting(directory)
                try writer.commit(Self.reference[0])
                let reopened = try CheckpointStore.open(directory)
                #expect(reopened.checkpoints.count == stored.count + 1)
                #expect(reopened.verify().isEmpty, "round \(round)")
            }
        }
        #expect(killedMidway > 100, "most kills land in the middle of a recording")
    }

    @Test("a reader following a 500-checkpoint recording never sees a partial checkpoint")
    func followLiveRecording() throws {
        let scratch = try Scratch()
        let directory = scratch.file("store")
        let (process, _) = try Self.startRecording(directory, ticks: 499)
        defer { process.waitUntilExit() }
        var store: CheckpointStore?
        var seen = 0
        var reference = SwarmTimeline(entities: Self.entities)
        let deadline = Date().addingTimeInterval(120)
        while seen < 500 && Date() < deadline {
            if store == nil {
                store = try? CheckpointStore.open(directory)
                if store == nil { usleep(1_000); continue }
            }
            try store!.refresh()
            let checkpoints = store!.checkpoints
            while seen < checkpoints.count {
                if seen > 0 { reference.advance() }
                #expect(checkpoints[seen].tick == UInt64(seen))
                #expect(try store!.snapshot(checkpoints[seen].id) == reference.snapshot, "tick \(seen)")
                seen += 1
            }
            usleep(500)
        }
        #expect(seen == 500)
    }
}
