/// How a snapshot file is written.
public struct WriteOptions: Sendable {
    /// The codec of every block.
    public var codec: BlockCodec
    /// Whether to apply byte filters where they help (see ``automaticFilter(for:isEntityIDs:)``).
    public var usesFilters: Bool
    /// Encrypts every block with AES-256-GCM when set.
    public var key: EncryptionKey?
    /// Whether to fsync the file and its directory before the file appears
    /// under its name. Benchmarks turn it off to time the codec, not the disk.
    public var isDurable: Bool
    /// The format version to write: ``SnapshotFormat/current`` unless the
    /// file is for a reader that only knows an older one.
    public var format: SnapshotFormat

    /// Creates options; the default is zstd level 3 with filters, unencrypted, durable, the current format.
    public init(
        codec: BlockCodec = .zstd(level: 3), usesFilters: Bool = true, key: EncryptionKey? = nil, isDurable: Bool = true,
        format: SnapshotFormat = .current
    ) {
        self.codec = codec
        self.usesFilters = usesFilters
        self.key = key
        self.isDurable = isDurable
        self.format = format
    }

    /// Whether a float column whose values allow it is stored fixed-point
    /// instead of shuffled: with filters, a codec, and a format that has
    /// the filter (3 on).
    public var usesFixedPoint: Bool { usesFilters && codec != .none && format.hasFixedPoint }

    /// The filter a column gets: none when the codec is `none` (filters only
    /// pay off before compression) or filters are off; delta-varint for
    /// entity ids; shuffle for numbers of 2 bytes or more; none otherwise.
    public func automaticFilter(for type: FieldType, isEntityIDs: Bool) -> ByteFilter {
        guard usesFilters, codec != .none else { return .none }
        if isEntityIDs { return .deltaVarint }
        return ByteFilter.shuffle.applies(to: type) ? .shuffle : .none
    }
}
