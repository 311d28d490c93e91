#if canImport(Glibc)
import Glibc
#endif
import Interop
import PackCodec
import SystemPackage
import Timeline

/// Opening and extracting XS packages safely.
public enum XSBundle {
    /// The XS package at `path`, or an error naming it.
    public static func open(_ path: String) throws -> XSPackage {
        do { return try XSPackage(path: path) } catch { throw FormatError("\(path): \(error)") }
    }

    /// The store bundled in the package at `path`, read in place (its
    /// `[timeline]/` entries are stored uncompressed, so each store file is a
    /// region of the package and only what a read needs is touched), or
    /// `nil` when `path` is not an XS package with a bundled store.
    public static func bundledStore(_ path: String, key: EncryptionKey?) throws -> CheckpointStore? {
        guard !InputFiles.isDirectory(path), let xs = try? XSPackage(path: path), xs.entry("[timeline]/MANIFEST") != nil else { return nil }
        var regions: [String: StoreRegion] = [:]
        for entry in xs.entries where entry.path.hasPrefix("[timeline]/") {
            let name = String(entry.path.dropFirst("[timeline]/".count))
            if entry.isCompressed {
                guard CheckpointStore.sideFileNames.contains(name) else { throw FormatError("\(path): \(entry.path) is compressed; a bundled store keeps its files stored (unbundle it instead)") }
                continue
            }
            regions[name] = StoreRegion(container: path, offset: xs.dataStart + entry.dataOffset, length: entry.dataLength)
        }
        return try CheckpointStore.open(path + "[timeline]", regions: regions, key: key)
    }

    /// Writes `entries` under `folder`, without `prefix` on their paths,
    /// all or nothing: unsafe names are refused before anything is written;
    /// directories on the way must be real directories (not links); files
    /// are created new (never over an existing file or through a link) and
    /// written piece by piece, so a compressed entry is never held whole in
    /// memory. When anything fails, every file and folder this extraction
    /// made is removed again.
    public static func extract(_ xs: XSPackage, entries: [XSPackage.Entry], into folder: String, stripping prefix: String) throws {
        for entry in entries {
            if let reason = XSPackage.unsafeReason(String(entry.path.dropFirst(prefix.count))) {
                throw FormatError("\(xs.path): entry \"\(entry.path)\" refused: \(reason)")
            }
        }
        var made = Extraction()
        do {
            try made.directory(folder)
            for entry in entries {
                let relative = String(entry.path.dropFirst(prefix.count))
                var directory = folder
                for part in relative.split(separator: "/").dropLast() {
                    directory += "/" + part
                    try made.directory(directory)
                }
                try made.file(folder + "/" + relative, from: xs, entry: entry)
            }
        } catch {
            made.takeBack()
            throw error
        }
    }

    /// What one extraction created, in order, so a failed one can take it back.
    private struct Extraction {
        var files: [String] = []
        var directories: [String] = []

        /// Creates `path` as a directory, or accepts an existing real one.
        mutating func directory(_ path: String) throws {
            if try XSBundle.makeDirectory(path) { directories.append(path) }
        }

        /// Creates `path` new and writes the entry's contents into it.
        mutating func file(_ path: String, from xs: XSPackage, entry: XSPackage.Entry) throws {
            let descriptor: FileDescriptor
            do {
                descriptor = try FileDescriptor.open(
                    FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            } catch { throw FormatError("\(path): cannot create (\(error))") }
            files.append(path)
            defer { try? descriptor.close() }
            var failure: Errno?
            do {
                try xs.streamContents(of: entry) { piece in
                    guard failure == nil else { return }
                    do { _ = try descriptor.writeAll(piece) } catch { failure = error as? Errno ?? .ioError }
                }
            } catch { throw FormatError("\(xs.path): \(error)") }
            if let failure { throw FormatError("\(path): cannot write (\(failure))") }
        }

        /// Removes what was made, files first, then folders deepest first.
        func takeBack() {
            for file in files.reversed() { unlink(file) }
            for directory in directories.reversed() { rmdir(directory) }
        }
    }

    /// Creates `path` as a directory, or accepts an existing real one.
    /// - Returns: whether it was created.
    fileprivate static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        var status = stat()
        guard errno == EEXIST, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw FormatError("\(path): not a folder tickscope can extract into (a link, a file, or \(String(cString: strerror(errno))))")
        }
        return false
    }
}

