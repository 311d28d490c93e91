import Foundation
import Simulations
import Testing
import Timeline

/// SampleWorlds/boids, ecosystem and orbits are made by SampleWorld.record
/// and must stay byte-identical to a fresh recording. Regenerate on purpose:
/// TICKSCOPE_REGENERATE_GOLDEN=1 swift test --filter SampleWorldStoreTests
@Suite struct SampleWorldStoreTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleWorlds")

    @Test("each sample recording is byte-identical to a fresh one", arguments: SampleWorld.allCases)
    func reproducible(sample: SampleWorld) throws {
        let fresh = StoreDirectory()
        try sample.record(into: fresh.path)
        let committed = Self.root.appendingPathComponent(sample.rawValue)
        if ProcessInfo.processInfo.environment["TICKSCOPE_REGENERATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: committed, withIntermediateDirectories: true)
            for file in SampleWorld.storeFiles {
                let target = committed.appendingPathComponent(file)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(atPath: fresh.path + "/" + file, toPath: target.path)
            }
        }
        for file in SampleWorld.storeFiles {
            let expected = try Data(contentsOf: committed.appendingPathComponent(file))
            let actual = try Data(contentsOf: URL(fileURLWithPath: fresh.path + "/" + file))
            #expect(actual == expected, "\(sample.rawValue)/\(file) differs: regenerate only if the change is intended")
        }
        let store = try CheckpointStore.open(committed.path)
        #expect(store.verify().isEmpty)
    }
}
