import PackCodec

/// The rows of the delta records that decoding has just applied, kept for
/// the step that decoded them: its change summary and highlights ask what
/// each delta changed (``BlockSource/deltaChange(of:against:withValues:)``)
/// right after its columns were decoded, and without this would read and
/// decompress each record a second time (about a tenth of a step at a
/// million entities).
///
/// Taken once: an answer leaves, so nothing is held once the step is
/// drawn; and at most a few records' rows are kept at all (the last
/// ``capacity``). Filled from the threads that decode a step's columns
/// together, hence the lock. A batch decoded ahead keeps its own, which
/// move here with its columns when a step takes them.
final class AppliedDeltaRows: Sendable {
    /// What one applied delta changed.
    struct Entry {
        /// The block the delta patched.
        var base: ContentHash
        /// How it moved the base's rows first, when it did.
        var remap: RowRemap?
        /// The rows it changed, in its own layout.
        var rows: [UInt32]
        /// The values it XORed in at those rows, where it was applied to
        /// the column a step forward handed over (rows not moved): the
        /// step's undo patch is made from them instead of the record.
        var xorValues: [UInt8]? = nil
    }

    /// At most this many records' rows are kept (the oldest go first).
    let capacity: Int

    private let entries = Locked<[(block: ContentHash, entry: Entry)]>([])

    /// - Parameter capacity: a step's columns and then some.
    init(capacity: Int = 16) { self.capacity = capacity }

    /// Keeps what the delta stored as `block` changed.
    func keep(_ entry: Entry, for block: ContentHash) {
        entries.withLock { entries in
            entries.removeAll { $0.block == block }
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((block, entry))
        }
    }

    /// Takes what the delta stored as `block` on `base` changed, when it
    /// was kept (and moved rows exactly when `remapped`).
    func take(_ block: ContentHash, base: ContentHash, remapped: Bool) -> Entry? {
        entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.block == block && $0.entry.base == base && ($0.entry.remap != nil) == remapped })
            else { return nil }
            return entries.remove(at: index).entry
        }
    }

    /// Takes what the delta stored as `block` changed, whatever its base:
    /// how rows kept by a batch decoded ahead move on with its columns.
    func take(_ block: ContentHash) -> Entry? {
        entries.withLock { entries in
            guard let index = entries.firstIndex(where: { $0.block == block }) else { return nil }
            return entries.remove(at: index).entry
        }
    }

    /// Lets go of everything kept (the data files changed, or the step
    /// that decoded them has asked all it will ask).
    func forget() { entries.withLock { $0.removeAll() } }

    /// How many records' rows are kept.
    var count: Int { entries.withLock { $0.count } }
}
