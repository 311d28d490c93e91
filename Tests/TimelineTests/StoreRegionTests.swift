import Foundation
import PackCodec
import Testing
import Timeline

/// A store read in place from regions of another file, as a bundled XS
/// package is opened.
@Suite struct StoreRegionTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleWorlds/boids").path

    @Test("the store's files packed one after another in one file read the same checkpoints; a region cut short is an error")
    func regions() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sample).filter { $0 == "MANIFEST" || $0.hasSuffix(".tsi") || $0.hasSuffix(".tsd") }
        var container = Data("some other bytes first".utf8)
        var regions: [String: StoreRegion] = [:]
        let path = NSTemporaryDirectory() + "regions-\(UUID().uuidString).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for name in names.sorted() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.sample + "/" + name))
            regions[name] = StoreRegion(container: path, offset: UInt64(container.count), length: UInt64(bytes.count))
            container.append(bytes)
        }
        try container.write(to: URL(fileURLWithPath: path))
        let bundled = try CheckpointStore.open(path + "[timeline]", regions: regions)
        let folder = try CheckpointStore.open(Self.sample)
        #expect(bundled.checkpoints.map(\.id) == folder.checkpoints.map(\.id))
        for checkpoint in folder.checkpoints.prefix(20) { #expect(try bundled.snapshot(checkpoint.id) == folder.snapshot(checkpoint.id)) }
        #expect(bundled.verify().isEmpty)
        #expect(try bundled.refresh() == false)
        var short = regions
        let data = try #require(names.first { $0.hasSuffix(".tsd") })
        short[data]!.length -= 100
        #expect(throws: TimelineError.self) { try CheckpointStore.open(path + "[timeline]", regions: short) }
    }
}
