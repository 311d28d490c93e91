import Foundation
@testable import PackCodec
import Testing

/// Pins the native format byte for byte (docs/FORMAT.md). If one of these
/// fails, the format changed: that needs a version bump, not a new golden
/// file. Regenerate only on purpose: TICKSCOPE_REGENERATE_GOLDEN=1 swift test.
@Suite struct GoldenBytesTests {
    static let cases: [(String, WriteOptions)] = [
        ("golden-none.tscp", WriteOptions(codec: .none)),
        ("golden-zstd3.tscp", WriteOptions(codec: .zstd(level: 3))),
        ("golden-lz4.tscp", WriteOptions(codec: .lz4)),
    ]

    static func goldenURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    }

    @Test("the small world's file matches the pinned bytes", arguments: 0..<cases.count)
    func pinned(index: Int) throws {
        let (name, options) = Self.cases[index]
        let bytes = try TestWorlds.everyType.encoded(options: options)
        let url = Self.goldenURL(name)
        if ProcessInfo.processInfo.environment["TICKSCOPE_REGENERATE_GOLDEN"] == "1" {
            try Data(bytes).write(to: url)
        }
        let golden = [UInt8](try Data(contentsOf: url))
        #expect(bytes.count == golden.count)
        let first = zip(bytes, golden).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(first == nil, "first differing byte at offset \(first ?? -1)")
        #expect(try SnapshotReader(bytes: golden).readSnapshot() == TestWorlds.everyType)
    }

    @Test("the header is magic, version 1.0, no flags, zero key check")
    func headerBytes() throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none))
        #expect(Array(bytes[0..<16]) == Array("TSCPSNAP".utf8) + [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(bytes[16..<32].allSatisfy { $0 == 0 })
        #expect(Array(bytes.suffix(8)) == Array("TSCPEND\0".utf8))
    }

    @Test("an uncompressed block holds the column's little-endian bytes as they are")
    func rawBlockLayout() throws {
        let bytes = try TestWorlds.everyType.encoded(options: WriteOptions(codec: .none))
        let reader = try SnapshotReader(bytes: bytes)
        let idBlock = reader.contents.archetypes[0].entityBlock
        #expect(idBlock.offset == 32)
        #expect(Array(bytes[32..<56]) == FileSurgery.littleEndian(UInt64(10)) + FileSurgery.littleEndian(UInt64(3)) + FileSurgery.littleEndian(UInt64(1 << 40)))
        #expect(idBlock.checksum == CRC32.checksum(Array(bytes[32..<56])))
    }

    @Test("an encrypted block's associated data is laid out as docs/FORMAT.md says")
    func associatedData() {
        let descriptor = BlockDescriptor(
            offset: 999, storedLength: 0x0102, encodedLength: 0x0304, rawLength: 0x0506,
            codec: .zstd(level: 9), filter: .shuffle, checksum: 0xDEAD_BEEF)
        let expected: [UInt8] = Array("TSCPBLK1".utf8)
            + [7, 0, 0, 0, 0, 0, 0, 0]
            + [0x02, 0x01, 0, 0, 0, 0, 0, 0] + [0x04, 0x03, 0, 0, 0, 0, 0, 0] + [0x06, 0x05, 0, 0, 0, 0, 0, 0]
            + [2, 9, 1, 0]
        #expect(descriptor.authenticatedData(blockIndex: 7) == expected)
        var writer = ByteWriter()
        descriptor.write(to: &writer)
        #expect(writer.bytes == [0xE7, 0x03, 0, 0, 0, 0, 0, 0] + Array(expected[16...]) + [0xEF, 0xBE, 0xAD, 0xDE])
    }

    @Test("the whole-file hash covers every byte before it")
    func fileHash() throws {
        let bytes = try TestWorlds.everyType.encoded()
        let hashStart = bytes.count - FileFooter.size + FileFooter.hashOffset
        #expect(SHA256Hasher.hash(Array(bytes[0..<hashStart])) == Array(bytes[hashStart..<hashStart + 32]))
    }
}
