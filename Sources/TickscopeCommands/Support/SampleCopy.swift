#if canImport(Glibc)
import Glibc
#endif
import PackCodec
import Timeline

/// The user's own copy of a bundled sample recording, which the debugger
/// opens instead of the sample (a bare `tickscope` and `make run` open the
/// ecosystem's): the sample stays as shipped (its tests compare it byte for
/// byte, and a `git pull` may replace it), while the forks, marks and
/// resumed runs made in the debugger go to the copy and are there the next
/// time. Deleting the copy starts again from the sample. A copy is never
/// replaced: when the sample has changed since the copy was made (a newer
/// tickscope ships another recording), the debugger says so and keeps the
/// copy (``of(_:)``). The commands that write to a store refuse a sample
/// (``refuseWriting(to:)``).
enum SampleCopy {
    /// `$XDG_STATE_HOME/tickscope/samples`, else
    /// `$HOME/.local/state/tickscope/samples`; `nil` with neither set.
    static var directory: String? {
        if let xdg = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") { return xdg + "/tickscope/samples" }
        return getenv("HOME").map { String(cString: $0) + "/.local/state/tickscope/samples" }
    }

    /// The copy of the sample store at `bundled`, made now when there is
    /// none. Beside the copy, `NAME.shipped` keeps the digest of the
    /// sample it was made from.
    /// - Returns: the copy's path, whether it was made now, and whether the
    ///   sample has changed since an older copy was made.
    static func of(_ bundled: String) throws -> (path: String, isNew: Bool, sampleChanged: Bool) {
        guard let directory else { throw CommandFailure("\(bundled): no HOME or XDG_STATE_HOME to copy the sample into; open a copy of it (cp -r) with tickscope open PATH") }
        let name = String(bundled.split(separator: "/").last ?? "sample")
        let path = directory + "/" + name, shipped = directory + "/" + name + ".shipped"
        if access(path + "/MANIFEST", F_OK) == 0 { return (path, false, changed(bundled, since: shipped)) }
        try makeFolders(directory)
        do { try StoreFiles.copy(bundled, to: path) } catch {
            // Another tickscope started at the same moment made it first.
            if access(path + "/MANIFEST", F_OK) == 0 { return (path, false, false) }
            throw CommandFailure("cannot copy the sample \(bundled) to \(path): \(error.description)")
        }
        // Without it (a copy by an older tickscope, a full disk) a change of the sample goes unnoticed; the copy works.
        if let digest = digest(of: bundled) { try? writeFileAtomically(Array((digest + "\n").utf8), to: shipped) }
        return (path, true, false)
    }

    /// Whether the sample at `bundled` is no longer the one whose digest
    /// `shipped` holds; `false` when either cannot be read.
    private static func changed(_ bundled: String, since shipped: String) -> Bool {
        guard let recorded = try? FileInput.readAll(path: shipped, limit: 256), let digest = digest(of: bundled) else { return false }
        return String(decoding: recorded, as: UTF8.self) != digest + "\n"
    }

    /// The SHA-256 of a store's committed files, names and bytes.
    private static func digest(of store: String) -> String? {
        guard let files = try? StoreFiles.committed(in: store).files else { return nil }
        let hasher = SHA256Hasher()
        for file in files {
            hasher.update(Array(file.name.utf8) + [0] + withUnsafeBytes(of: UInt64(file.contents.count).littleEndian, Array.init))
            hasher.update(file.contents)
        }
        return hasher.finalize().hexString
    }

    /// The name of the bundled sample store at `path` (`ecosystem` for
    /// `SampleWorlds/ecosystem` or any path to that folder), or `nil` when
    /// `path` is not one of the samples shipped with tickscope.
    static func bundledSample(at path: String) -> String? {
        guard let real = realPath(path), let name = real.split(separator: "/").last.map(String.init) else { return nil }
        for candidate in ResourcePaths.candidates("SampleWorlds/" + name) where access(candidate + "/MANIFEST", F_OK) == 0 {
            if realPath(candidate) == real { return name }
        }
        return nil
    }

    /// Refuses to let a command write to a bundled sample, saying how to
    /// work on a copy.
    static func refuseWriting(to path: String) throws {
        guard let name = bundledSample(at: path) else { return }
        throw CommandFailure("\(path) is a sample shipped with tickscope and stays as shipped; work on a copy (cp -r \(path) /tmp/\(name)), "
                             + "or in the debugger, which opens your own copy of it")
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
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
