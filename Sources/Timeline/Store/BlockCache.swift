/// Recently decoded blocks by content hash, at most `limit` bytes; when full
/// the least recently used are dropped first. Stepping through a timeline
/// keeps the current checkpoint's blocks and their delta bases here, so
/// each block is decoded once.
struct BlockCache<Value> {
    let limit: Int
    private var entries: [ContentHash: (value: Value, bytes: Int, use: UInt64)] = [:]
    private(set) var bytes = 0
    private var clock: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    /// The block, without counting a use: safe to call from several threads
    /// while nobody inserts.
    func peek(_ hash: ContentHash) -> Value? { entries[hash]?.value }

    /// Every value held, by content hash (copies: a value type's storage is shared, not duplicated).
    var values: [ContentHash: Value] { entries.mapValues(\.value) }

    /// The block, counted as used now.
    mutating func get(_ hash: ContentHash) -> Value? {
        guard let entry = entries[hash] else { return nil }
        clock += 1
        entries[hash]!.use = clock
        return entry.value
    }

    /// Keeps a block of `size` bytes (one larger than half the cache is not
    /// kept), dropping the least recently used until it fits.
    mutating func insert(_ value: Value, hash: ContentHash, size: Int) {
        guard size <= limit / 2, entries[hash] == nil else { return }
        while bytes + size > limit, let oldest = entries.min(by: { $0.value.use < $1.value.use }) {
            bytes -= oldest.value.bytes
            entries[oldest.key] = nil
        }
        clock += 1
        entries[hash] = (value, size, clock)
        bytes += size
    }

    /// Drops every block but those in `hashes`.
    mutating func keepOnly(_ hashes: Set<ContentHash>) {
        for (hash, entry) in entries where !hashes.contains(hash) {
            bytes -= entry.bytes
            entries[hash] = nil
        }
    }

    /// Takes a block out, so that the caller holds the only copy (and may
    /// change a value type's storage in place).
    mutating func remove(_ hash: ContentHash) -> Value? {
        guard let entry = entries.removeValue(forKey: hash) else { return nil }
        bytes -= entry.bytes
        return entry.value
    }

    mutating func removeAll() {
        entries.removeAll()
        bytes = 0
    }
}
