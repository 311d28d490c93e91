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

    /// The store, opened for writing with the key when one is named.
    func openForWriting() throws -> CheckpointStore {
        try CheckpointStore.openForWriting(directory, key: keyOptions.loadKey())
    }
}
