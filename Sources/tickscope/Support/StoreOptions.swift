import ArgumentParser

/// The store directory argument shared by the commands that work on an
/// existing checkpoint store.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The store directory.")
    var directory: String
}
