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
    /// Something in the store's folder is not what the store put there (a
    /// link, a FIFO, a device or a directory under a store file's name); it
    /// is neither read nor written.
    case unexpectedEntry(path: String, found: String)
    /// A `MANIFEST` value that passed its CRC contradicts the files.
    case manifestContradiction(path: String, field: String, reason: String)
    /// A folder holds store files but no valid `MANIFEST`: it is never
    /// initialised again over them.
    case manifestMissing(path: String, files: [String])
    /// A record's CRC-32 does not match its payload.
    case recordChecksumMismatch(path: String, offset: UInt64, algorithm: String, expected: UInt32, actual: UInt32)
    /// An encrypted store's record failed authentication: it was changed,
    /// moved, or copied from another store.
    case recordTampered(path: String, offset: UInt64)
    /// A name that cannot be a branch name.
    case invalidBranchName(String, reason: String)

    public var description: String {
        switch self {
        case let .file(path, error):
            switch error {
            case .io, .notARegularFile: return error.description
            default: break
            }
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
        case let .unexpectedEntry(path, found): return "\(path): is \(found), not a regular file; the store neither reads nor replaces it"
        case let .manifestContradiction(path, field, reason):
            let store = path.hasSuffix("/MANIFEST") ? String(path.dropLast("/MANIFEST".count)) : path
            return "\(path): the MANIFEST's \(field) \(reason); `tickscope recover \(store)` rebuilds the store from its intact records"
        case let .manifestMissing(path, files):
            let listed = files.prefix(3).joined(separator: ", ") + (files.count > 3 ? ", …" : "")
            return "\(path): has store files (\(listed)) but no valid MANIFEST; nothing was changed. Run `tickscope recover \(path)` to rebuild it"
        case let .recordChecksumMismatch(path, offset, algorithm, expected, actual):
            return "\(path): record at offset \(offset): checksum mismatch (\(algorithm): stored \(hex32(expected)), computed \(hex32(actual)))"
        case let .recordTampered(path, offset):
            return "\(path): record at offset \(offset) failed authentication: it was tampered with, moved, or copied from another store"
        case let .invalidBranchName(name, reason):
            // Control characters shown as `?`, so a name never breaks the line.
            let shown = String(name.prefix(40).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
            return "\"\(shown)\(name.count > 40 ? "…" : "")\" is not a valid branch name: \(reason)"
        }
    }
}

private func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
