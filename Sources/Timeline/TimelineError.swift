import PackCodec

/// What can go wrong with a checkpoint store, naming the file involved.
public enum TimelineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file of the store is damaged or unreadable.
    case file(path: String, PackError)
    /// The directory is not a checkpoint store.
    case notAStore(path: String)
    /// The store was written by a newer major version.
    case newerStoreVersion(path: String, major: UInt16)
    /// Another process holds the writer lock.
    case locked(path: String, holder: String)
    /// No checkpoint answers to a reference.
    case unknownCheckpoint(String)
    /// No branch has the name.
    case unknownBranch(String)
    /// A branch of that name exists already.
    case branchExists(String)
    /// A request does not make sense (an edit of a missing entity, say).
    case invalidRequest(String)
    /// The store is encrypted and no key was given.
    case keyRequired(path: String)
    /// The key given is not the store's.
    case wrongKey(path: String)

    public var description: String {
        switch self {
        case let .file(path, error):
            if case .io = error { return error.description }
            return "\(path): \(error)"
        case let .notAStore(path): return "\(path): not a Tickscope checkpoint store (no MANIFEST)"
        case let .newerStoreVersion(path, major): return "\(path): written by a newer version of the store format (major \(major))"
        case let .locked(path, holder): return "\(path): another writer holds the store (\(holder))"
        case let .unknownCheckpoint(reference): return "no checkpoint \(reference)"
        case let .unknownBranch(name): return "no branch \(name)"
        case let .branchExists(name): return "a branch named \(name) exists already"
        case let .invalidRequest(reason): return reason
        case let .keyRequired(path): return "\(path): the store is encrypted: give its key with --key-file or TICKSCOPE_KEY_FILE"
        case let .wrongKey(path): return "\(path): wrong key: the store was encrypted with a different key"
        }
    }
}
