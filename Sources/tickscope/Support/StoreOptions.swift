import ArgumentParser
import Timeline

/// The store directory argument, and the key of an encrypted store, shared
/// by the commands that work on an existing checkpoint store.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The store directory.")
    var directory: String

    @OptionGroup var keyOptions: KeyOptions

    /// The store, opened for reading with the key when one is named.
    func open() throws -> CheckpointStore {
        try CheckpointStore.open(directory, key: keyOptions.loadKey())
    }

    /// The existing store, opened for writing with the key when one is
    /// named; a missing store is an error, never created. Says so when it
    /// took over a lock left by a writer that is gone.
    func openForWriting() throws -> CheckpointStore {
        let store = try CheckpointStore.openForWriting(directory, key: keyOptions.loadKey(), create: false)
        reportStaleLock(store)
        return store
    }
}

/// Tells the user, on standard error, that a lock left by a writer that is
/// gone was taken over.
func reportStaleLock(_ store: CheckpointStore) {
    if let stale = store.recoveredLock { printError("recovered a stale lock left by \(stale)") }
}
