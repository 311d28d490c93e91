import PackCodec
import Timeline

/// How much of an archetype changed at each checkpoint against the one
/// before: the share of its blocks (ids and columns) whose content hash
/// differs. Read from the index alone, nothing is decoded. A checkpoint
/// without the archetype, and the first one, have no level.
enum ChangeStrip {
    static func levels(of components: ArchetypeSignature, along timeline: [Checkpoint]) -> [Double?] {
        var previous: [ContentHash]?
        return timeline.map { checkpoint in
            guard let archetype = checkpoint.archetype(components) else {
                previous = nil
                return nil
            }
            let hashes = [archetype.entities.contentHash] + archetype.columns.map(\.contentHash)
            defer { previous = hashes }
            guard let previous, previous.count == hashes.count else { return nil }
            let changed = zip(previous, hashes).filter { $0 != $1 }.count
            return changed == 0 ? nil : Double(changed) / Double(hashes.count)
        }
    }
}
