import Formats
import ArgumentParser
import Timeline
import PackCodec

/// The store directory argument, and the key of an encrypted store, shared
/// by the commands that work on an existing checkpoint store.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The store directory.")
    var directory: String

    @OptionGroup var keyOptions: KeyOptions

    /// The store, opened for reading with the key when one is named. A
    /// damaged store opens with what is intact, after a warning on
    /// standard error for each thing left out.
    func open() throws -> CheckpointStore {
        try openIntact(directory, key: keyOptions.loadKey())
    }

    /// Anything `tickscope open` takes, as a timeline to read (a store, a
    /// bundled store, or a foreign file's worlds in a throwaway store).
    func openTimeline() throws -> AnyTimeline {
        try TickscopeCommands.openTimeline(directory, key: keyOptions.loadKey())
    }

    /// The existing store, opened for writing with the key when one is
    /// named; a missing store is an error, never created. Says so when it
    /// took over a lock left by a writer that is gone.
    func openForWriting() throws -> CheckpointStore {
        try SampleCopy.refuseWriting(to: directory)
        let store = try CheckpointStore.openForWriting(directory, key: keyOptions.loadKey(), create: false)
        reportStaleLock(store)
        return store
    }
}

/// Tells the user, on standard error, that a lock left by a writer that is
/// gone was taken over.
func reportStaleLock(_ store: CheckpointStore) {
    if let stale = store.recoveredLock { printError("recovered a stale lock left by \(stale)") }
    for name in store.setAside {
        printError("set aside \(store.path)/\(name): complete records past the committed end (a commit interrupted before its MANIFEST, or an older MANIFEST), kept byte for byte")
    }
}

/// Opens anything tickscope reads as a timeline (``AnyTimeline``) and warns,
/// on standard error, of what a damaged store left out.
func openTimeline(_ path: String, key: EncryptionKey?, schema: String? = nil) throws -> AnyTimeline {
    let timeline = try AnyTimeline.open(path, key: key, schema: schema)
    reportDamage(timeline.store)
    return timeline
}

/// Opens a store for reading with what is intact (``CheckpointStore/openIntact(_:key:)``)
/// and warns, on standard error, of each thing a damaged store left out and
/// of how to repair it: a lost tail costs the checkpoints in it, not the
/// whole recording.
func openIntact(_ directory: String, key: EncryptionKey?) throws -> CheckpointStore {
    let store = try CheckpointStore.openIntact(directory, key: key)
    reportDamage(store)
    return store
}

/// Prints a damaged store's warnings on standard error.
func reportDamage(_ store: CheckpointStore) {
    guard !store.damage.isEmpty else { return }
    for problem in store.damage { printError("warning: \(problem)") }
    printError("warning: \(store.path) is damaged; showing its \(store.checkpoints.count) intact checkpoints. `tickscope recover \(store.path)` repairs it (nothing is deleted: damaged bytes are set aside)")
}
