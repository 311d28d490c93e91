import Interop
import PackCodec
import Timeline

#if canImport(Glibc)
import Glibc
#endif

/// Anything Tickscope opens, as a timeline to read: a checkpoint
/// store (what is intact of it, with warnings), a store bundled in an XS
/// package (read in place), or any other file or folder the foreign
/// readers know (a snapshot file, tx2-pack, PECS, TKSN, an XS package of
/// snapshots, JSON Lines), whose worlds go into a throwaway store. Every
/// reading command, and the C library's `ts_store_open`, opens its input
/// this way, so they all take what `tickscope open` takes.
///
/// ```swift
/// let timeline = try AnyTimeline.open("crate/checkpoints", key: nil)   // a tx2-pack folder
/// let worlds = try timeline.store.timeline(of: "main")
/// ```
public struct AnyTimeline {
    /// The timeline's checkpoints.
    public let store: CheckpointStore
    /// The throwaway store's folder, removed when the last copy goes; `nil`
    /// for a store read where it is.
    public let temporary: TemporaryDirectory?

    /// Whether the timeline is a store of its own (it can grow and be written), not a throwaway copy.
    public var isStore: Bool { temporary == nil }

    /// Opens `path`.
    /// - Parameter schema: a PECS schema file's path, for PECS inputs.
    public static func open(_ path: String, key: EncryptionKey?, schema: String? = nil) throws -> AnyTimeline {
        if InputFiles.isDirectory(path) {
            // A store (what is intact of it: `store.damage` says what was left out), or a folder
            // that was one (its MANIFEST lost: that error names recover); else a foreign folder.
            do { return AnyTimeline(store: try CheckpointStore.openIntact(path, key: key), temporary: nil) } catch TimelineError.notAStore {}
        }
        if let bundled = try XSBundle.bundledStore(path, key: key) {
            return AnyTimeline(store: bundled, temporary: nil)
        }
        // Its worlds in a throwaway store, encrypted with a key of its own when
        // they were encrypted (nothing lands in the temporary folder in the clear).
        let worlds = try WorldSource.worlds(at: path, key: key, schema: WorldSource.schema(schema))
        let directory = try TemporaryDirectory()
        let scratchKey = key == nil ? nil : try EncryptionKey.random()
        let scratch = try CheckpointStore.openForWriting(directory.path + "/store", key: scratchKey)
        try scratch.commit(count: worlds.count) { (worlds[$0].world, worlds[$0].info) }
        return AnyTimeline(store: try CheckpointStore.open(directory.path + "/store", key: scratchKey), temporary: directory)
    }
}
