/// The store's view of its folder: every file the store opens, creates,
/// renames, lists or removes goes through one of these, by a name inside the
/// folder (docs/STORE.md, "The folder").
///
/// Two implementations: ``SystemStoreFolder`` over the system calls (on the
/// folder's directory descriptor, never following a link), and the tests'
/// power-cut folder, which keeps unsynced writes apart so that a test can
/// drop them as a power cut would. What is durable is exactly what a
/// ``StoreFileHandle/sync()`` or ``syncDirectory()`` said was.
protocol StoreFolder: AnyObject {
    /// The folder's path, for messages.
    var path: String { get }

    /// Opens the regular file `name`; a link, a directory or a device is
    /// refused, and so is a missing file unless `mode` creates it.
    func open(_ name: String, mode: StoreFileMode) throws(TimelineError) -> any StoreFileHandle

    /// The folder's entries (not `.` and `..`), with what each is.
    func entries() throws(TimelineError) -> [StoreFolderEntry]

    /// The whole regular file `name`, or `nil` when there is none.
    /// - Throws: when it is a link or not a regular file, or holds more
    ///   than `limit` bytes.
    func read(_ name: String, limit: Int) throws(TimelineError) -> [UInt8]?

    /// Replaces `name` durably: a new temporary file (never an existing
    /// one), synced, renamed over `name`, the folder synced. Returns only
    /// when all of that succeeded.
    func replace(_ name: String, with bytes: [UInt8]) throws(TimelineError)

    /// Removes the entry `name` itself (a link, not what it points at);
    /// nothing when there is none.
    func remove(_ name: String) throws(TimelineError)

    /// Renames the regular file `name` to `newName`, which must not exist,
    /// and syncs the folder.
    func rename(_ name: String, to newName: String) throws(TimelineError)

    /// Makes the folder's entries (created, renamed, removed) durable.
    func syncDirectory() throws(TimelineError)

    /// Takes the writer lock `LOCK`, or fails naming its holder.
    func lockWriter() throws(TimelineError) -> any StoreWriterLock

    /// Runs `body` holding the side-file lock, which serialises updates
    /// of side files (`MARKS`) between processes.
    func withSideFileLock<T>(_ body: () throws(TimelineError) -> T) throws(TimelineError) -> T
}

/// How ``StoreFolder/open(_:mode:)`` opens a file.
enum StoreFileMode: Equatable {
    /// An existing file, to read.
    case read
    /// An existing file, to read and append to.
    case readWrite
    /// A file that must not exist yet, to write.
    case createNew
}

/// One entry of a store folder.
struct StoreFolderEntry: Equatable {
    /// What an entry is; only regular files are ever read.
    enum Kind: Equatable { case regularFile, directory, symbolicLink, other }
    var name: String
    var kind: Kind
}

/// An open file of the store.
protocol StoreFileHandle: AnyObject {
    /// The file's path, for messages.
    var path: String { get }
    /// The file's current size.
    func size() throws(TimelineError) -> UInt64
    /// Exactly `count` bytes at `offset`; fewer is ``PackError/truncated(needed:available:offset:)``.
    func read(at offset: UInt64, count: Int) throws(TimelineError) -> [UInt8]
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(TimelineError)
    /// Makes what was written durable.
    func sync() throws(TimelineError)
    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(TimelineError)
}

/// The held writer lock; released when the value goes away.
protocol StoreWriterLock: AnyObject {
    /// What the lock file said when a holder that is gone left it: `pid N
    /// on HOST`. `nil` when it was empty or did not read as a lock line.
    var recoveredFrom: String? { get }
}

extension StoreFolder {
    /// The path of `name` in this folder, for messages.
    func pathOf(_ name: String) -> String { path + "/" + name }
}

/// Whether `text` reads as what a writer puts in `LOCK`: `pid N on HOST`,
/// printable ASCII, short. Anything else is never echoed back to the user.
func isLockLine(_ text: String) -> Bool {
    guard text.utf8.count <= 200, text.hasPrefix("pid "), text.contains(" on ") else { return false }
    return text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
}

extension String {
    var trimmingNewline: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
