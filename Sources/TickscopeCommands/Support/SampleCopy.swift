#if canImport(Glibc)
import Glibc
#endif
import Timeline

/// The user's own copy of the bundled ecosystem recording, which a bare
/// `tickscope` (and `make run`) opens: the sample stays as shipped (its
/// tests compare it byte for byte, and a `git pull` may replace it), while
/// the forks, marks and resumed runs made in the debugger go to the copy
/// and are there the next time. Deleting the copy starts again from the
/// sample.
enum SampleCopy {
    /// `$XDG_STATE_HOME/tickscope/samples`, else
    /// `$HOME/.local/state/tickscope/samples`; `nil` with neither set.
    static var directory: String? {
        if let xdg = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") { return xdg + "/tickscope/samples" }
        return getenv("HOME").map { String(cString: $0) + "/.local/state/tickscope/samples" }
    }

    /// The copy of the sample store at `bundled`, made now when there is
    /// none.
    /// - Returns: the copy's path, and whether it was made now.
    static func of(_ bundled: String) throws -> (path: String, isNew: Bool) {
        guard let directory else { throw CommandFailure("\(bundled): no HOME or XDG_STATE_HOME to copy the sample into; open a copy of it (cp -r) with tickscope open PATH") }
        let name = String(bundled.split(separator: "/").last ?? "sample")
        let path = directory + "/" + name
        if access(path + "/MANIFEST", F_OK) == 0 { return (path, false) }
        try makeFolders(directory)
        do { try CheckpointStore.copy(bundled, to: path) } catch {
            // Another tickscope started at the same moment made it first.
            if access(path + "/MANIFEST", F_OK) == 0 { return (path, false) }
            throw CommandFailure("cannot copy the sample \(bundled) to \(path): \(error.description)")
        }
        return (path, true)
    }

    /// `path` with the home folder written `~`, as a title shows it.
    static func abbreviated(_ path: String) -> String {
        guard let home = getenv("HOME").map({ String(cString: $0) }), home.count > 1, path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    /// Makes `path` and the folders above it that are missing.
    private static func makeFolders(_ path: String) throws {
        var made = ""
        for part in path.split(separator: "/") {
            made += "/" + part
            if mkdir(made, 0o755) != 0, errno != EEXIST {
                throw CommandFailure("cannot create \(made) for the copy of the sample: \(String(cString: strerror(errno)))")
            }
        }
    }
}
