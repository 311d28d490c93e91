import Foundation
import Interop
import PackCodec
import Testing

/// Every byte of each foreign fixture flipped in turn: the outcome is a
/// typed error, the same world, a change only in header fields the format
/// leaves unchecked, or different values without an error. Formats with a
/// checksum over their data must have no silent value change; the counts of
/// the others are what docs/RELIABILITY.md reports.
@Suite struct TamperSweepTests {
    struct Outcomes: CustomStringConvertible {
        var errors = 0, identical = 0, headerOnly = 0, silent = 0
        var description: String { "\(errors) errors, \(identical) identical, \(headerOnly) header-only, \(silent) silent" }
    }

    /// Flips each byte (xor 0x01) and classifies what `read` returns
    /// against the original: equal, equal in its values (`sameValues`), or not.
    static func sweep<Value: Equatable>(_ bytes: [UInt8], at positions: [Int]? = nil, read: ([UInt8]) throws -> Value,
                                        sameValues: (Value, Value) -> Bool) throws -> Outcomes {
        let original = try read(bytes)
        var outcomes = Outcomes()
        var copy = bytes
        for index in positions ?? Array(bytes.indices) {
            copy[index] ^= 0x01
            defer { copy[index] ^= 0x01 }
            guard let value = try? read(copy) else { outcomes.errors += 1; continue }
            if value == original { outcomes.identical += 1 } else if sameValues(value, original) { outcomes.headerOnly += 1 } else { outcomes.silent += 1 }
        }
        return outcomes
    }

    static func sweep(_ bytes: [UInt8], read: ([UInt8]) throws -> Snapshot) throws -> Outcomes {
        try sweep(bytes, read: read) { $0.archetypes == $1.archetypes && $0.schema == $1.schema }
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path)))
    }

    @Test("tx2-pack (zstd): the SHA-256 covers the data; flips of the header's unchecked fields change no values")
    func tx2pack() throws {
        let outcomes = try Self.sweep(Self.fixture("tx2pack/files/w2-n1000-zstd3.tx2pack")) { try TX2PackFile.read($0, key: nil).world() }
        #expect(outcomes.silent == 0, "\(outcomes)")
        #expect(outcomes.headerOnly > 0, "the timestamp is not covered by the checksum")
        Issue.record("tx2-pack: \(outcomes)", severity: .warning)
    }

    @Test("PECS (the crate's layout): the CRC-64 covers every byte")
    func pecs() throws {
        let outcomes = try Self.sweep(Self.fixture("pecs/small_archetypes_with_registry.pecs")) { try PECSFile.read($0).world(schema: nil) }
        #expect(outcomes.silent == 0 && outcomes.headerOnly == 0 && outcomes.identical == 0, "\(outcomes)")
    }

    @Test("TKSN: gzip's CRC-32 catches flips of a compressed file; a raw file has no checksum at all")
    func tksn() throws {
        func sameValues(_ a: TKSNSnapshot, _ b: TKSNSnapshot) -> Bool { var c = a; c.tick = b.tick; return c == b }
        let gzip = try Self.sweep(Self.fixture("tksn/w2int_3d_n1000_tick5000.gz.snap"), read: { try TKSNSnapshot.read($0) }, sameValues: sameValues)
        // The gzip header's MTIME, XFL and OS bytes are not checked by anyone.
        #expect(gzip.silent == 0, "\(gzip)")
        let raw = try Self.sweep(Self.fixture("tksn/w2int_3d_n1000_tick5000.snap"), read: { try TKSNSnapshot.read($0) }, sameValues: sameValues)
        #expect(raw.silent > 0, "nothing protects a raw TKSN file")
        Issue.record("TKSN gzip: \(gzip); raw: \(raw)", severity: .warning)
    }

    @Test("XS: no checksum; a flip in a compressed entry is caught by zlib's Adler-32, one in a stored entry is not")
    func xs() throws {
        let path = NSTemporaryDirectory() + "sweep-\(UUID().uuidString).xs"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Self.fixture("xs/xs-09df1d3-nomagic.xs")
        // Every byte of the metadata, and 2,000 seeded positions of the data.
        var seed: UInt64 = 42
        let positions = Array(0..<791) + (0..<2000).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return 791 + Int(seed >> 33) % (bytes.count - 791)
        }
        let outcomes = try Self.sweep(bytes, at: positions, read: { (bytes: [UInt8]) throws -> [[UInt8]] in
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let package = try XSPackage(path: path)
            return try package.entries.map { try package.contents(of: $0) } + [Array(package.entries.map(\.path).joined(separator: "\n").utf8)]
        }, sameValues: { _, _ in false })
        #expect(outcomes.silent > 0, "stored entries have no checksum")
        Issue.record("XS: \(outcomes)", severity: .warning)
    }
}
