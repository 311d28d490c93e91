import PackCodec
import Simulations
import Testing

@Suite struct WorkloadTests {
    @Test("splitmix64(42) gives the first five outputs of WORKLOADS.md")
    func splitMixCrossCheck() {
        var generator = SplitMix64()
        let outputs = (0..<5).map { _ in generator.next() }
        #expect(outputs == [0xbdd7_3226_2feb_6e95, 0x28ef_e333_b266_f103, 0x4752_6757_130f_9f52, 0x581c_e1ff_0e4a_e394, 0x09bc_585a_2448_23f2])
    }

    @Test("W2 draws the first three entities bit for bit")
    func swarmFirstEntities() {
        let archetype = Workload.swarm.snapshot(entities: 3).archetypes[0]
        let expected: [[UInt32]] = [
            [0x3f3dd732, 0x3e23bf8c, 0x408ea4ce, 0xbe9f8c7c, 0xbf6c8750, 0x3f3c8862, 0x41b00000],
            [0x40999ec7, 0x3eae0b70, 0x411e54d7, 0xbf17171c, 0xbc65bb00, 0x3cdb7b40, 0x42500000],
            [0x410aa47e, 0x3e505148, 0x3fd41eb8, 0xbc138000, 0xbf502a42, 0x3ec17b28, 0x42c00000],
        ]
        for row in 0..<3 {
            let bits = archetype.columns.map { $0.values(as: Float.self)[row].bitPattern }
            #expect(bits == expected[row], "entity \(row)")
        }
    }

    @Test("raw payload SHA-256 matches WORKLOADS.md", arguments: [
        (Workload.ramp, 10, "b3b1a02da1dea85ec98a916123c14be771118b4a8f3f14ec5fcf371dc9eba025"),
        (Workload.ramp, 10_000, "40e88a6e793e01c04235faf40662a88041c9fa07eeb4934d4351c9fdeaeda8fd"),
        (Workload.swarm, 10, "745b2ef2b6348027e0351ee3bc11f38edae1b333a4cc0a4538f89d7fe2d3828b"),
        (Workload.swarm, 10_000, "484a35ae05e2d0765157b0c701c2a41b0ca794fe025c73fdf5e904b499e69a13"),
    ])
    func payloadHash(workload: Workload, entities: Int, expected: String) {
        let archetype = workload.snapshot(entities: entities).archetypes[0]
        let hasher = SHA256Hasher()
        archetype.entities.withUnsafeBytes { hasher.update($0) }
        for column in archetype.columns { hasher.update(column.storage) }
        #expect(hasher.finalize().hexString == expected)
    }
}
