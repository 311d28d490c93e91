import PackCodec

/// The SHA-256 of a column's contents (`u8 type ‖ u64 count ‖ raw column
/// bytes`, docs/STORE.md): the address by which a store keeps a column
/// once, and by which two blocks are known equal without decoding them.
///
/// Held as four words, so comparing, hashing and keying a dictionary by it
/// allocate nothing.
///
/// ```swift
/// if before.columns[0].contentHash == after.columns[0].contentHash {
///     // the same values: no need to decode either
/// }
/// ```
public struct ContentHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash from its 32 bytes, as a record stores them.
    /// - Precondition: `bytes.count == 32`.
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "a content hash is 32 bytes")
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { target in
            for (offset, byte) in bytes.enumerated() { target[offset] = byte }
        }
        self.words = words
    }

    /// The SHA-256 by which a column is stored once.
    public init(of column: Column) {
        if column.type.width != nil {
            self.init(type: column.type, count: column.count, raw: column.storage)
            return
        }
        var raw: [UInt8] = []
        var start = 0
        for end in column.ends {
            withUnsafeBytes(of: UInt32(end - start).littleEndian) { raw.append(contentsOf: $0) }
            start = end
        }
        self.init(type: column.type, count: column.count, raw: raw + column.storage)
    }

    /// The SHA-256 of `u8 type ‖ u64 count ‖ raw` (raw: the column's bytes
    /// as docs/FORMAT.md lays them out).
    public init(type: FieldType, count: Int, raw: [UInt8]) {
        let hasher = SHA256Hasher()
        hasher.update([type.rawValue])
        withUnsafeBytes(of: UInt64(count).littleEndian) { hasher.update($0) }
        hasher.update(raw)
        self.init(bytes: hasher.finalize())
    }

    /// The 32 bytes, in the order SHA-256 gives them.
    public var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    public static func == (lhs: ContentHash, rhs: ContentHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Byte order, as the hashes' hexadecimal forms sort.
    public static func < (lhs: ContentHash, rhs: ContentHash) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// The hexadecimal form.
    public var description: String { bytes.hexString }
}
