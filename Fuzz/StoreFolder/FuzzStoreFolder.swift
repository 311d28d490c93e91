// Debug builds only: `@testable import` needs a module compiled for testing,
// so a release build of every product (`swift build -c release`) builds this
// target as an empty executable.
#if DEBUG
import PackCodec
import ScopeUI
@testable import Timeline

/// libFuzzer entry point for what a store trusts in its folder: structured
/// mutations of `MANIFEST` (its CRC fixed, so the values get checked, not
/// only the checksum), `MARKS` and `LOCK` of a small real store held in
/// memory. Each run opens the store for reading, verifies it, reads and sets
/// a mark, opens it for writing and commits one checkpoint; any outcome may
/// be an error, none may crash, and no writer may cut a byte of the data
/// files that the unmutated store had committed.
///
/// Input: `u8 which` (bit 0: MANIFEST, bit 1: MARKS, bit 2: LOCK), then the
/// new contents of each chosen file in that order, each behind a `u16`
/// length (little-endian).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreFolder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let which = input.first else { return 0 }
    var rest = input.dropFirst()
    func next() -> [UInt8]? {
        guard rest.count >= 2 else { return nil }
        let count = Int(rest[rest.startIndex]) | Int(rest[rest.startIndex + 1]) << 8
        rest = rest.dropFirst(2)
        let part = Array(rest.prefix(count))
        rest = rest.dropFirst(part.count)
        return part
    }
    let folder = StoreFolderFuzzing.freshFolder()
    if which & 1 != 0, var manifest = next() {
        if manifest.count >= 4 {
            let crc = CRC32.checksum(Array(manifest.dropLast(4)))
            withUnsafeBytes(of: crc.littleEndian) { manifest.replaceSubrange(manifest.count - 4..<manifest.count, with: $0) }
        }
        folder.setFile("MANIFEST", manifest)
    }
    if which & 2 != 0, let marks = next() { folder.setFile("MARKS", marks) }
    if which & 4 != 0, let lock = next() {
        folder.setFile("LOCK", lock)
        _ = isLockLine(String(decoding: lock, as: UTF8.self))
    }
    if let reader = try? CheckpointStore.open(folder: folder, writable: false) {
        _ = reader.verify()
        var marks = MarkBook(store: reader)
        if let first = reader.checkpoints.first { try? marks.set("z", to: first.id, note: "fuzz", in: reader) }
    }
    if let writer = try? CheckpointStore.open(folder: folder, writable: true) {
        _ = try? writer.commit(StoreFolderFuzzing.world)
    }
    // No writer cut committed data bytes of the original store, unless it
    // first copied them aside byte for byte (a MANIFEST that says less than
    // the files hold: see CheckpointStore.setAsideCompleteTails).
    for (name, original) in StoreFolderFuzzing.original where name.hasPrefix("data-") {
        guard let now = folder.contents[name] else { fatalError("\(name): removed") }
        // The writer found the original file whole, so an aside copy is its tail from the cut on.
        let aside = folder.contents.first { $0.key.hasPrefix(name + ".tail-set-aside-") }?.value ?? []
        let kept = original.count - min(aside.count, original.count)
        guard Array(original[kept...]) == aside, now.count >= kept, Array(now.prefix(kept)) == Array(original.prefix(kept)) else {
            fatalError("\(name): committed bytes were cut or changed without a copy set aside")
        }
        if aside.isEmpty, Array(now.prefix(original.count)) != original { fatalError("\(name): committed bytes were cut or changed") }
    }
    return 0
}

enum StoreFolderFuzzing {
    static let world: Snapshot = {
        let body = ComponentType(name: "Body", fields: [Field("x", .float32), Field("name", .string)])
        let ids = (1...8 as ClosedRange<UInt64>).map(EntityID.init(rawValue:))
        return Snapshot(
            schema: Schema(components: [body]),
            archetypes: [Archetype(components: [body], entities: ids, columns: [
                Column(ids.map { Float($0.rawValue) / 3 }), Column(strings: ids.map { "e\($0.rawValue)" }),
            ])],
            resources: Resources(tick: 1, worldTime: 0.5, seed: 1, custom: [:]), metadata: [:])
    }()

    /// The files of a small store: three checkpoints with a delta, a fork with an edit, a mark.
    static let original: [String: [UInt8]] = {
        let folder = MemoryStoreFolder(path: "/fuzz/store")
        do {
            let store = try CheckpointStore.open(folder: folder, writable: true, create: true, clock: { 0 })
            var world = world
            for tick in 0..<3 as Range<UInt64> {
                world.resources.tick = tick
                world.archetypes[0].columns[0] = Column((1...8).map { Float($0) + Float(tick) })
                try store.commit(world)
            }
            try store.fork(from: CheckpointID(rawValue: 2), name: "fix", edits: [.set(entity: EntityID(1), component: "Body", field: "x", value: "-1")])
            try store.sideFiles.write("MARKS", Array("a c1 start\nb c3\n".utf8))
        } catch {
            fatalError("the fuzz target's store: \(error)")
        }
        return folder.contents
    }()

    static func freshFolder() -> MemoryStoreFolder {
        let folder = MemoryStoreFolder(path: "/fuzz/store")
        for (name, bytes) in original { folder.setFile(name, bytes) }
        return folder
    }
}
#endif
