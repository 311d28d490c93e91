/// A major version of the snapshot file format (`docs/FORMAT.md`). Every
/// version this code has ever written stays readable and verifiable;
/// writers produce ``current`` unless asked for an older one (for a reader
/// that only knows it).
///
/// | | version 1 | version 2 | version 3 |
/// | --- | --- | --- | --- |
/// | block and table checksum | CRC-32 | XXH3-64 | XXH3-64 |
/// | footer digest (SHA-256) | of every byte before it | of the header and the table of contents | as version 2 |
/// | block statistics | none | min, max, NaN count of numeric columns (unencrypted files) | as version 2 |
/// | filters | none, shuffle, delta-varint | as version 1 | and fixed-point |
///
/// ```swift
/// let options = WriteOptions(codec: .zstd(level: 3), format: .version1)
/// try world.write(to: "for-old-readers.tscp", options: options)
/// ```
public enum SnapshotFormat: UInt16, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// The first format: CRC-32 checksums and a whole-file SHA-256.
    case version1 = 1
    /// XXH3-64 checksums, a digest of header and table of contents, and
    /// block statistics.
    case version2 = 2
    /// Version 2 with the fixed-point filter for float columns.
    case version3 = 3

    /// The version writers produce by default.
    public static let current = version3

    public static func < (lhs: SnapshotFormat, rhs: SnapshotFormat) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "format \(rawValue)" }

    /// Whether blocks may use ``ByteFilter/fixedPoint`` (version 3 on).
    public var hasFixedPoint: Bool { self >= .version3 }

    /// How checksums of this version are computed.
    public var checksumAlgorithm: Checksum.Algorithm { self == .version1 ? .crc32 : .xxh3 }

    /// The checksum of `bytes` as this version computes it.
    func checksum(_ bytes: UnsafeRawBufferPointer) -> Checksum {
        switch self {
        case .version1: Checksum(.crc32, UInt64(CRC32.checksum(bytes)))
        case .version2, .version3: Checksum(.xxh3, XXH3.checksum(bytes))
        }
    }
}

/// A checksum as a file states it or as it was computed: its algorithm
/// and value, printed as errors show it (`XXH3-64 0x…`).
public struct Checksum: Sendable, Hashable, CustomStringConvertible {
    /// The algorithms snapshot files use.
    public enum Algorithm: String, Sendable {
        /// zlib's CRC-32 (format 1; 4 bytes in the file).
        case crc32 = "CRC-32"
        /// XXH3-64 with seed 0 (format 2; 8 bytes in the file).
        case xxh3 = "XXH3-64"
    }

    /// The algorithm.
    public var algorithm: Algorithm
    /// The value (a CRC-32 fills the low 32 bits).
    public var value: UInt64

    /// A checksum of `algorithm` with `value`.
    public init(_ algorithm: Algorithm, _ value: UInt64) {
        self.algorithm = algorithm
        self.value = value
    }

    public var description: String {
        let digits = String(value, radix: 16)
        let width = algorithm == .crc32 ? 8 : 16
        return "\(algorithm.rawValue) \(String(repeating: "0", count: max(0, width - digits.count)))\(digits)"
    }
}
