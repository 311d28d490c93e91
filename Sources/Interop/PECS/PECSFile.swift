import PackCodec

/// A PECS world file in either of its two layouts (docs/FORMATS.md): the
/// one the PECS crate 0.1 really writes (24-byte header, type registry, one
/// record per entity, CRC-64 footer), or ADR-007's (64-byte header, type
/// registry, archetype table, entity data in SoA per archetype, resources,
/// 32-byte footer ending in `SCEP`). Both start with `PECS`; they are told
/// apart by structure and each one's checksum is verified.
public struct PECSFile: Equatable, Sendable {
    /// A 128-bit id (stable ids, type ids), as its two halves.
    public struct ID128: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var high: UInt64
        public var low: UInt64
        public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }
        public static func < (a: ID128, b: ID128) -> Bool { (a.high, a.low) < (b.high, b.low) }
        /// 32 lowercase hex digits, as PECS prints stable ids.
        public var description: String {
            let digits = String(high, radix: 16) .padded(16) + String(low, radix: 16).padded(16)
            return digits
        }
    }

    public enum Layout: Equatable, Sendable { case crate, adr007 }

    public struct TypeEntry: Equatable, Sendable {
        public var id: ID128
        public var name: String
        public var version: UInt32
        /// ADR-007 only.
        public var flags: UInt32 = 0
        public var sizeHint: UInt32 = 0
    }

    public struct Entity: Equatable, Sendable {
        public var stableID: ID128
        /// Component type id and its bytes, in file order.
        public var components: [(type: ID128, data: [UInt8])]

        public static func == (a: Entity, b: Entity) -> Bool {
            a.stableID == b.stableID && a.components.map(\.type) == b.components.map(\.type) && a.components.map(\.data) == b.components.map(\.data)
        }
    }

    public var layout: Layout
    /// The crate's u32 version, or ADR-007's major (minor in ``minorVersion``).
    public var version: UInt32
    public var minorVersion: UInt16 = 0
    public var flags: UInt32
    /// ADR-007's header timestamp (milliseconds).
    public var timestamp: UInt64 = 0
    public var types: [TypeEntry]
    /// Entities in file order (ADR-007: archetype by archetype).
    public var entities: [Entity]
    /// ADR-007's resources: type id and bytes.
    public var resources: [(type: ID128, data: [UInt8])] = []

    public static func == (a: PECSFile, b: PECSFile) -> Bool {
        a.layout == b.layout && a.version == b.version && a.minorVersion == b.minorVersion && a.flags == b.flags && a.timestamp == b.timestamp
            && a.types == b.types && a.entities == b.entities && a.resources.map(\.type) == b.resources.map(\.type) && a.resources.map(\.data) == b.resources.map(\.data)
    }

    static let magic: [UInt8] = Array("PECS".utf8)
    static let endMagic: [UInt8] = Array("SCEP".utf8)

    public static func isPECS(_ prefix: [UInt8]) -> Bool { prefix.starts(with: magic) }

    /// Reads either layout: ADR-007 when the last 32 bytes are its footer
    /// (`SCEP` in place and the right file size), else the crate's.
    public static func read(_ bytes: [UInt8]) throws(InteropError) -> PECSFile {
        guard bytes.starts(with: magic) else { throw .malformed("no PECS magic at offset 0") }
        if bytes.count >= 96, Array(bytes[bytes.count - 12..<bytes.count - 8]) == endMagic,
            (try? PECSReader(bytes).u64(at: bytes.count - 20, "the footer")) == UInt64(bytes.count) {
            return try readADR(bytes)
        }
        return try readCrate(bytes)
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

/// Little-endian reads with bounds checks, as both PECS layouts need:
/// PackCodec's `ByteReader`, each error naming what was being read.
struct PECSReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The u64 at `position`, without moving (the footer's fields).
    func u64(at position: Int, _ what: String) throws(InteropError) -> UInt64 {
        var at = position
        do {
            return try bytes.integer(advancing: &at, as: UInt64.self)
        } catch {
            throw .malformed("the file ends inside \(what) at offset \(position)")
        }
    }

    /// Moves to `position` (a section the header places).
    mutating func seek(to position: Int, _ what: String) throws(InteropError) {
        guard position >= 0, position <= bytes.count else { throw .malformed("\(what) at offset \(position) lies past the end of the \(bytes.count)-byte file") }
        offset = position
    }

    mutating func take(_ count: Int, _ what: String) throws(InteropError) -> ArraySlice<UInt8> {
        do { return bytes[try ByteReader.bytes(in: bytes, advancing: &offset, count: count)] } catch {
            throw .malformed("the file ends inside \(what) at offset \(offset)")
        }
    }

    mutating func integer<T: FixedWidthInteger>(_ what: String, _: T.Type = T.self) throws(InteropError) -> T {
        do { return try bytes.integer(advancing: &offset, as: T.self) } catch {
            throw .malformed("the file ends inside \(what) at offset \(offset)")
        }
    }

    mutating func id(_ what: String) throws(InteropError) -> PECSFile.ID128 {
        let low: UInt64 = try integer(what)
        let high: UInt64 = try integer(what)
        return PECSFile.ID128(high: high, low: low)
    }

    mutating func name(_ length: Int, _ what: String) throws(InteropError) -> String {
        let start = offset
        guard let text = String(validating: try take(length, what), as: UTF8.self) else { throw .malformed("\(what) at offset \(start) is not UTF-8") }
        return text
    }
}

/// Little-endian writes.
struct PECSWriter {
    var bytes: [UInt8] = []
    mutating func integer<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func id(_ value: PECSFile.ID128) { integer(value.low); integer(value.high) }
}
