/// What reading has cost since the store was opened: blocks decoded (a
/// delta counts once, its base once more when that was not cached), the
/// stored and decoded bytes, and lookups the caches answered. The debugger's
/// `:stats` shows the difference one step made.
public struct ReadStatistics: Sendable, Equatable {
    /// Blocks decoded (each delta and each base it needed).
    public var blocksDecoded = 0
    /// Their bytes as stored (compressed, sealed).
    public var storedBytes = 0
    /// Their bytes decoded.
    public var decodedBytes = 0
    /// Blocks the caches answered without decoding.
    public var cacheHits = 0
    /// Of ``blocksDecoded``, those decoded on a background thread before
    /// the read that took them (a session decodes ahead of a step that
    /// crosses the start of a delta chain).
    public var decodedAhead = 0
    /// Column changes across a delta chain's start that a background
    /// thread learnt ahead of the step that needs them (the rows that
    /// differ and their bytes, instead of the columns).
    public var learntAhead = 0
    /// Delta records read only for what they changed (their rows, and the
    /// values a step back or a diff rebuilds from), not to decode a column.
    /// A step's own decode hands over the rows of the deltas it applied, so
    /// the step's changes read none of those again.
    public var changeRecordsRead = 0

    /// Nothing read yet.
    public init() {}

    mutating func count(_ ref: BlockRef, decodedBytes: Int) {
        blocksDecoded += 1
        storedBytes += Int(ref.length)
        self.decodedBytes += decodedBytes
    }

    /// What happened between `earlier` and this.
    public func since(_ earlier: ReadStatistics) -> ReadStatistics {
        var difference = ReadStatistics()
        difference.blocksDecoded = blocksDecoded - earlier.blocksDecoded
        difference.storedBytes = storedBytes - earlier.storedBytes
        difference.decodedBytes = decodedBytes - earlier.decodedBytes
        difference.cacheHits = cacheHits - earlier.cacheHits
        difference.decodedAhead = decodedAhead - earlier.decodedAhead
        difference.learntAhead = learntAhead - earlier.learntAhead
        difference.changeRecordsRead = changeRecordsRead - earlier.changeRecordsRead
        return difference
    }
}
