import Foundation
import Interop
import PackCodec
import Testing

/// XS packages written by the xs engine's own packager (Fixtures/xs).
@Suite struct XSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/xs").path

    struct Expected: Decodable {
        var path: String
        var uncompressed_size: UInt64
        var data_offset: UInt64
        var data_length: UInt64
        var is_compressed: Bool
        var sha256: String
    }

    static func expected() throws -> [Expected] {
        struct File: Decodable { var entries: [Expected]; var data_section_start: UInt64 }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/expected-xs-09df1d3-nomagic.json"))).entries
    }

    @Test("every entry of the engine's package: path, sizes, offset, compression, and the SHA-256 of its contents")
    func readsFixture() throws {
        let package = try XSPackage(path: Self.fixtures + "/xs-09df1d3-nomagic.xs")
        let expected = try Self.expected()
        #expect(package.version == nil && package.dataStart == 791)
        #expect(package.entries.map(\.path) == expected.map(\.path))
        for (entry, want) in zip(package.entries, expected) {
            #expect(entry.uncompressedSize == want.uncompressed_size && entry.dataOffset == want.data_offset)
            #expect(entry.dataLength == want.data_length && entry.isCompressed == want.is_compressed, "\(entry.path)")
            #expect(try SHA256Hasher.hash(package.contents(of: entry)).hexString == want.sha256, "\(entry.path)")
        }
        let empty = try XSPackage(path: Self.fixtures + "/xs-09df1d3-nomagic-empty.xs")
        #expect(empty.entries.isEmpty && empty.dataStart == 8)
    }

    @Test("written again, in either layout, the package reads back with the same contents")
    func roundTrip() throws {
        let original = try XSPackage(path: Self.fixtures + "/xs-09df1d3-nomagic.xs")
        let files = try original.entries.map { (path: $0.path, contents: try original.contents(of: $0), compress: $0.isCompressed) }
        for version in [nil, UInt32(2)] {
            let path = NSTemporaryDirectory() + "xs-\(UUID().uuidString).xs"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(XSPackage.encode(files, version: version)).write(to: URL(fileURLWithPath: path))
            let package = try XSPackage(path: path)
            #expect(package.version == version && package.entries.map(\.path) == files.map(\.path))
            for (entry, file) in zip(package.entries, files) { #expect(try package.contents(of: entry) == file.contents) }
        }
    }

    static let malformedCases: [(bytes: [UInt8], message: String)] = {
        func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        var cases: [([UInt8], String)] = []
        cases.append(([1, 2, 3], "the metadata ends at offset 0, inside a u64"))
        cases.append((u64(1 << 40), "not an XS package: neither the XSENGINE magic nor an entry count that fits in a file of 8 bytes at offset 0"))
        cases.append((u64(1) + u64(100) + [UInt8](repeating: 65, count: 40), "entry 0: a path of 100 bytes at offset 8 runs past the end"))
        let entry = u64(1) + u64(1) + [65] + u64(4) + u64(0) + u64(4)
        cases.append((entry + [2] + [1, 2, 3, 4], "entry 0: no compressed flag (0 or 1) at offset 41"))
        cases.append((entry + [0] + [1, 2], "A: its data (4 bytes at 0) lies outside the 2-byte data section"))
        cases.append((u64(1) + u64(1) + [65] + u64(9) + u64(0) + u64(4) + [0] + [1, 2, 3, 4], "A: stored uncompressed, yet 4 bytes long for a size of 9"))
        cases.append((u64(1) + u64(1) + [65] + u64(9) + u64(0) + u64(4) + [1] + [1, 2, 3, 4], "A: the compressed data is damaged (zlib error -3)"))
        return cases
    }()

    @Test("malformed packages are errors naming the entry and the offset", arguments: XSTests.malformedCases)
    func malformed(bytes: [UInt8], message: String) throws {
        let path = NSTemporaryDirectory() + "xs-\(UUID().uuidString).xs"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: InteropError.malformed(message)) {
            let package = try XSPackage(path: path)
            for entry in package.entries { _ = try package.contents(of: entry) }
        }
    }

    @Test("paths that could leave the target folder are refused", arguments: [
        ("", "an empty path"), ("/etc/passwd", "an absolute path"), ("[game]/../../x", "a .. in the path"),
        ("a\\b", "a backslash or NUL in the path"), ("a//b", "an empty or . component"), ("./a", "an empty or . component"),
    ])
    func unsafePaths(path: String, reason: String) {
        #expect(XSPackage.unsafeReason(path) == reason)
        #expect(XSPackage.unsafeReason("[game]/text/naïve-名前.txt") == nil)
    }

    /// A package whose entry `path` declares `size` bytes, whatever its contents inflate to.
    static func declaring(_ size: UInt64, for path: String, in files: [(path: String, contents: [UInt8], compress: Bool)]) -> [UInt8] {
        var bytes = XSPackage.encode(files)
        let name = Array(path.utf8)
        // count, then per entry: u64 path length, the path, u64 uncompressed size, ...
        let at = (0..<bytes.count - name.count).first { Array(bytes[$0..<$0 + name.count]) == name }! + name.count
        withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(at..<at + 8, with: $0) }
        return bytes
    }

    @Test("a compressed entry is handed over 64 KiB at a time, never whole, and must inflate to exactly its declared size")
    func streamsEntries() throws {
        let size = 64 << 20
        let files = [(path: "big.bin", contents: [UInt8](repeating: 0, count: size), compress: true)]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xs-stream-\(getpid())").path
        defer { unlink(scratch) }
        try Data(XSPackage.encode(files)).write(to: URL(fileURLWithPath: scratch))
        let package = try XSPackage(path: scratch)
        var total = 0, largest = 0, nonZero = 0
        try package.streamContents(of: package.entries[0]) { piece in
            total += piece.count
            largest = max(largest, piece.count)
            nonZero += piece.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        }
        #expect(total == size && largest <= 1 << 16 && nonZero == 0)
        // The same bytes declared as 1 GiB, and as one byte fewer: both refused, neither held whole.
        for declared in [UInt64(1) << 30, UInt64(size - 1)] {
            try Data(Self.declaring(declared, for: "big.bin", in: files)).write(to: URL(fileURLWithPath: scratch))
            let lying = try XSPackage(path: scratch)
            var seen = 0
            #expect(throws: InteropError.self) { try lying.streamContents(of: lying.entries[0]) { seen = max(seen, $0.count) } }
            #expect(seen <= 1 << 16)
        }
    }
}
