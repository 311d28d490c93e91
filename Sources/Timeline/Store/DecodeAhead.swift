import Dispatch
import PackCodec

/// Columns decoded on a thread of their own before anybody asks for them:
/// a session whose next steps will cross a delta chain's start (and so
/// decode a full block, or a whole chain for the diff) starts them while
/// the user looks at this step, and those steps then find them done, or
/// decode what is left beside the background thread.
///
/// One batch, decoded one column after another on one background thread,
/// so the reader's own thread keeps its core; the reader takes columns out
/// as it needs them, and may carry those it has not taken into the next
/// batch. A block the batch is asked to learn from is compared with its
/// other version as soon as it is decoded, and only what differs is kept
/// (``LearntChanges/Pair``, a tenth of a column where a tenth changed),
/// not the column. A batch may also hold one entity-id list, decoded
/// before its columns: a step onto a checkpoint whose entities came or
/// went pairs rows by id. A class: that thread and the reader share it.
final class DecodeAhead: Sendable {
    /// Where a batch stands; both threads change it under the lock.
    private struct Progress {
        /// Which blocks of the batch a thread has started.
        var started: [Bool]
        /// How to decode one; let go once every block is started (it holds
        /// the delta bases).
        var decode: (@Sendable (BlockRef) -> Column?)?
        /// How to compare a decoded block with its other version; let go
        /// with `decode` (it holds them too).
        var learn: (@Sendable (BlockRef, Column, BlockRef) -> LearntChanges.Pair?)?
        /// The blocks not taken yet.
        var held: [ContentHash: BlockRef]
        /// What has been decoded of them (a block that failed is left out:
        /// the normal read reports it).
        var decoded: [ContentHash: Column]
        /// The blocks that are decoded or failed.
        var finished: Set<ContentHash>
        /// What differs between a block learnt from and its other version,
        /// by the block's hash, not taken yet.
        var learnt: [ContentHash: [LearntChanges.Pair]] = [:]
        /// How to decode the batch's entity-id list, until a thread starts it.
        var decodeEntities: (@Sendable (BlockRef) -> [EntityID]?)?
        /// That list, decoded and not taken yet (`nil` also when it failed:
        /// the normal read reports it).
        var entities: [EntityID]?
        /// Whether the reader has taken the list.
        var entitiesTaken = false
    }

    private let batch: [BlockRef]
    /// The blocks to learn from instead of keeping: each one's other
    /// versions (two columns may hold the same bytes on one side).
    private let learning: [ContentHash: [BlockRef]]
    /// The entity-id block of the batch, if any.
    private let entityBlock: BlockRef?
    private let state: Locked<Progress>
    /// Left as each block of the batch is decoded (or failed), so a reader
    /// waits for the blocks it needs, not for the batch.
    private let blockDone: [DispatchGroup]
    /// Left once the entity-id list is decoded (or failed).
    private let entitiesDone = DispatchGroup()

    /// Starts decoding `refs` with `decode` on a background thread, and
    /// holds `carried` (decoded already) beside them. Of the blocks of
    /// `refs` that `learning` names (with their other versions), `learn`
    /// keeps what differs instead of the column. The entity-id list of
    /// block `entities`, if any, is decoded first with `decodeEntities`.
    init(_ refs: [BlockRef], carrying carried: [ContentHash: (ref: BlockRef, column: Column)],
         learning: [ContentHash: [BlockRef]] = [:], learn: (@Sendable (BlockRef, Column, BlockRef) -> LearntChanges.Pair?)? = nil,
         entities: BlockRef? = nil, decodeEntities: (@Sendable (BlockRef) -> [EntityID]?)? = nil,
         decode: @escaping @Sendable (BlockRef) -> Column?) {
        var held = carried.mapValues(\.ref)
        for ref in refs { held[ref.contentHash] = ref }
        batch = refs
        self.learning = learn == nil ? [:] : learning
        entityBlock = decodeEntities == nil ? nil : entities
        // With no block to decode, the closures (and the delta bases they hold) are let go at once.
        state = Locked(Progress(started: Array(repeating: false, count: refs.count), decode: refs.isEmpty ? nil : decode, learn: refs.isEmpty ? nil : learn, held: held,
                                decoded: carried.mapValues(\.column), finished: Set(carried.keys),
                                decodeEntities: entityBlock == nil ? nil : decodeEntities))
        blockDone = refs.map { _ in
            let group = DispatchGroup()
            group.enter()
            return group
        }
        if entityBlock != nil { entitiesDone.enter() }
        BackgroundThread.run { [self] in work() }
    }

    /// Takes blocks of the batch one at a time until none is left, the
    /// entity-id list first.
    private func work() {
        decodeEntitiesIfUnstarted()
        while decodeOne(where: { _ in true }) {}
    }

    /// Decodes the entity-id list unless a thread has started it.
    private func decodeEntitiesIfUnstarted() {
        guard let entityBlock, let decode = state.withLock({ state in
            defer { state.decodeEntities = nil }
            return state.decodeEntities
        }) else { return }
        let ids = decode(entityBlock)
        state.withLock { $0.entities = ids }
        entitiesDone.leave()
    }

    /// Hands over the entity-id list of block `hash` if the batch holds it,
    /// as soon as it is decoded (on the reader's thread if the background
    /// thread has not started it); `nil` when it does not hold it or the
    /// decode failed. Taken once.
    func takeEntities(_ hash: ContentHash) -> [EntityID]? {
        guard entityBlock?.contentHash == hash else { return nil }
        decodeEntitiesIfUnstarted()
        entitiesDone.wait()
        return state.withLock { state in
            defer {
                state.entities = nil
                state.entitiesTaken = true
            }
            return state.entities
        }
    }

    /// Whether the batch holds the entity-id list of block `hash`, decoded
    /// or to be decoded, not taken yet.
    func holdsEntities(_ hash: ContentHash) -> Bool {
        entityBlock?.contentHash == hash && !state.withLock { $0.entitiesTaken }
    }

    /// Takes the first block of the batch that nobody has started and
    /// that `wanted` picks (by its place in the batch), and decodes it;
    /// `false` when there is none.
    private func decodeOne(where wanted: (Int) -> Bool) -> Bool {
        let claimed: (Int, (@Sendable (BlockRef) -> Column?)?, (@Sendable (BlockRef, Column, BlockRef) -> LearntChanges.Pair?)?)? = state.withLock { state in
            guard let index = state.started.indices.first(where: { !state.started[$0] && wanted($0) }) else { return nil }
            state.started[index] = true
            let claimed = (index, state.decode, state.learn)
            // Every block is started: let go of the bases the closures hold.
            if !state.started.contains(false) {
                state.decode = nil
                state.learn = nil
            }
            return claimed
        }
        guard let (index, decode, learn) = claimed, let decode else { return false }
        defer { blockDone[index].leave() }
        let ref = batch[index]
        let column = decode(ref)
        if let others = learning[ref.contentHash], let learn {
            let pairs = column.map { column in others.compactMap { learn(ref, column, $0) } } ?? []
            state.withLock { state in
                state.learnt[ref.contentHash] = pairs
                state.finished.insert(ref.contentHash)
            }
            return true
        }
        state.withLock { state in
            if let column { state.decoded[ref.contentHash] = column }
            state.finished.insert(ref.contentHash)
        }
        return true
    }

    /// Whether every block has been decoded (or failed), by whichever thread.
    var isFinished: Bool {
        blockDone.allSatisfy { $0.wait(timeout: .now()) == .success }
            && (entityBlock == nil || entitiesDone.wait(timeout: .now()) == .success)
    }

    /// Whether block `hash` is in the batch and not taken yet.
    func holds(_ hash: ContentHash) -> Bool { state.withLock { $0.held[hash] != nil } }

    /// Whether every block has been taken (the entity-id list too).
    var isEmpty: Bool { state.withLock { $0.held.isEmpty && (entityBlock == nil || $0.entitiesTaken) } }

    /// The blocks not taken yet.
    var heldHashes: Set<ContentHash> { state.withLock { Set($0.held.keys) } }

    /// Returns once the blocks of `hashes` in the batch are decoded (or
    /// failed): the reader's thread decodes those nobody has started,
    /// then waits for those the background thread is on; never for the
    /// rest of the batch.
    private func finish(_ hashes: Set<ContentHash>) {
        let places = Set(batch.indices.filter { hashes.contains(batch[$0].contentHash) })
        guard !places.isEmpty else { return }
        while decodeOne(where: { places.contains($0) }) {}
        for place in places { blockDone[place].wait() }
    }

    /// Hands over the blocks of `hashes` that the batch holds, decoded
    /// (those that failed are left out), as soon as each is finished:
    /// decoding those of them nobody has started beside the background
    /// thread, and waiting only for those it is on. A block the batch
    /// learns from yields no column: it is neither waited for nor taken
    /// (``takeLearnt(waitingFor:)`` hands what it learnt), so a step onto
    /// the checkpoint before a crossing, whose columns the batch is
    /// comparing with the crossing's, decodes them itself at once rather
    /// than wait for nothing.
    func take(_ hashes: Set<ContentHash>) -> [(ref: BlockRef, column: Column)] {
        let columns = hashes.filter { learning[$0] == nil }
        finish(columns)
        return state.withLock { state in
            var taken: [(ref: BlockRef, column: Column)] = []
            for hash in columns {
                guard let ref = state.held.removeValue(forKey: hash) else { continue }
                if let column = state.decoded.removeValue(forKey: hash) { taken.append((ref, column)) }
            }
            return taken
        }
    }

    /// Hands over what the batch learnt so far, once it has finished
    /// learning what differs between the versions of each of `pairs` (in
    /// either order) that it learns (helping as ``take(_:)`` does): the
    /// pairs, and the blocks they were learnt from are no longer held. A
    /// block that failed leaves no pair.
    func takeLearnt(waitingFor pairs: [(ContentHash, ContentHash)]) -> [LearntChanges.Pair] {
        var wanted = Set<ContentHash>()
        for (a, b) in pairs {
            if learning[a]?.contains(where: { $0.contentHash == b }) == true { wanted.insert(a) }
            if learning[b]?.contains(where: { $0.contentHash == a }) == true { wanted.insert(b) }
        }
        finish(wanted)
        return state.withLock { state in
            var taken: [LearntChanges.Pair] = []
            for hash in batch.lazy.map(\.contentHash) where learning[hash] != nil && state.finished.contains(hash) && state.held[hash] != nil {
                state.held[hash] = nil
                taken += state.learnt.removeValue(forKey: hash) ?? []
            }
            return taken
        }
    }

    /// Finishes the batch (decoding on the caller's thread what the
    /// background thread has not started: it may be held off, or busy
    /// with another batch), then hands over every block not taken yet
    /// that was decoded.
    func remaining() -> [ContentHash: (ref: BlockRef, column: Column)] {
        decodeEntitiesIfUnstarted()
        if entityBlock != nil { entitiesDone.wait() }
        finish(Set(batch.map(\.contentHash)))
        return state.withLock { state in
            var left: [ContentHash: (ref: BlockRef, column: Column)] = [:]
            for (hash, column) in state.decoded { if let ref = state.held[hash] { left[hash] = (ref, column) } }
            return left
        }
    }
}
