import Foundation
import PackCodec
import Simulations
import Testing
import Timeline

/// Random bytes of a store's files flipped one at a time: every flip must
/// end in an error (on open, on read, or from verify) or leave every
/// checkpoint exactly as it was. Never different values without an error.
/// `TICKSCOPE_SWEEP_FLIPS` (a count, or `all`) and `TICKSCOPE_SWEEP_ENTITIES`
/// size a longer sweep than `make test`'s.
@Suite struct StoreTamperTests {
    @Test("flipping stored bytes never changes a checkpoint's values silently", arguments: [false, true])
    func sweep(encrypted: Bool) throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = StoreDirectory()
        let key = encrypted ? try EncryptionKey(bytes: Array(0..<32)) : nil
        do {
            let store = try CheckpointStore.openForWriting(directory.path, key: key, clock: { 1_767_225_600_000 })
            var simulation = SwarmTimeline(entities: Int(environment["TICKSCOPE_SWEEP_ENTITIES"] ?? "") ?? 40)
            for step in 0...8 {
                if step > 0 { simulation.advance() }
                try store.commit(simulation.snapshot, info: CheckpointInfo(name: "tick \(simulation.tick)"))
            }
            try store.fork(from: store.checkpoints[3].id, name: "side", edits: [.set(entity: EntityID(1), component: "Health", field: "value", value: "7")])
        }
        let reference = try CheckpointStore.open(directory.path, key: key)
        let originals = try reference.checkpoints.map { try reference.snapshot($0.id) }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "LOCK" }.sorted()
        var contents = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + $0))) }
        let total = contents.reduce(0) { $0 + $1.count }
        // TICKSCOPE_SWEEP_FLIPS=all flips every byte in turn; a number flips that many random bytes.
        let every = environment["TICKSCOPE_SWEEP_FLIPS"] == "all"
        let flips = every ? total : Int(environment["TICKSCOPE_SWEEP_FLIPS"] ?? "") ?? 2000
        var seed: UInt64 = 7
        var errors = 0, identical = 0, silent: [String] = []
        for flip in 0..<flips {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            var position = every ? flip : Int(seed >> 33) % total
            var file = 0
            while position >= contents[file].count { position -= contents[file].count; file += 1 }
            let url = URL(fileURLWithPath: directory.path + "/" + files[file])
            contents[file][position] ^= 0x01
            try Data(contents[file]).write(to: url)
            defer {
                contents[file][position] ^= 0x01
                try? Data(contents[file]).write(to: url)
            }
            do {
                let store = try CheckpointStore.open(directory.path, key: key)
                let worlds = try store.checkpoints.map { try store.snapshot($0.id) }
                guard store.verify().isEmpty, store.checkpoints.map(\.id) == reference.checkpoints.map(\.id) else { errors += 1; continue }
                if worlds == originals { identical += 1 } else { silent.append("\(files[file]) byte \(position)") }
            } catch {
                errors += 1
            }
        }
        #expect(silent.isEmpty, "values changed without an error: \(silent.prefix(5))")
        #expect(errors + identical + silent.count == flips)
        Issue.record("\(encrypted ? "encrypted store" : "store"): \(flips) flips over \(total) bytes: \(errors) errors, \(identical) identical, \(silent.count) silent", severity: .warning)
    }
}
