#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Interop
import PackCodec
import SystemPackage
import Timeline

extension Tickscope {
    /// `tickscope xs list|extract`: any XS package.
    struct XS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xs", abstract: "List or extract the entries of an XS package (.xs).", subcommands: [List.self, Extract.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every entry: path, size, stored size, zlib or stored.")
            @Argument(help: "The package.") var package: String

            func run() throws {
                let xs = try XSBundle.open(package)
                var output = StandardOutput()
                output.line("\(package): XS package, " + (xs.version.map { "XSENGINE layout version \($0)" } ?? "first layout (no magic)") + ", \(xs.entries.count) entries")
                for entry in xs.entries {
                    output.line("\(entry.isCompressed ? "zlib  " : "stored") \(String(entry.uncompressedSize).leftPadded(10)) \(String(entry.dataLength).leftPadded(10))  \(entry.path)")
                }
                output.flush()
            }
        }

        struct Extract: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Extract every entry into a folder.",
                discussion: "Entries named with .., an absolute path, an empty component or a backslash are refused, and nothing is written outside the folder or over an existing file.")
            @Argument(help: "The package.") var package: String
            @Argument(help: "The folder to extract into (created if missing).") var folder: String

            func run() throws {
                let xs = try XSBundle.open(package)
                try XSBundle.extract(xs, entries: xs.entries, into: folder, stripping: "")
            }
        }
    }

    /// `tickscope bundle STORE OUT.xs`.
    struct Bundle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pack a checkpoint store into one XS package (paths under [timeline]/).",
            discussion: "The store's committed files are stored as they are (they are compressed already). `tickscope open OUT.xs` opens it; `unbundle` extracts it.")
        @Argument(help: "The checkpoint store folder.") var store: String
        @Argument(help: "The package to write.") var output: String

        func run() throws {
            // Only the files the store itself names are packed, each read
            // without following a link: nothing else in the folder (a key
            // file, a link to one) ever lands in the package.
            let committed = try StoreFiles.committed(in: store)
            let files = committed.files.map { ("[timeline]/" + $0.name, $0.contents, CheckpointStore.sideFileNames.contains($0.name)) }
            for skipped in committed.skipped { printError("bundle: skipped \(store)/\(skipped): not a file of the store") }
            do { try writeFileAtomically(XSPackage.encode(files), to: output) } catch { throw CommandFailure(path: output, error) }
        }
    }

    /// `tickscope unbundle OUT.xs DIR`.
    struct Unbundle: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extract a bundled checkpoint store from an XS package into a folder.")
        @Argument(help: "The package.") var package: String
        @Argument(help: "The folder to create the store in.") var folder: String

        func run() throws {
            let xs = try XSBundle.open(package)
            let entries = xs.entries.filter { $0.path.hasPrefix("[timeline]/") }
            guard entries.contains(where: { $0.path == "[timeline]/MANIFEST" }) else { throw CommandFailure("\(package): no [timeline]/MANIFEST: not a bundled store") }
            try XSBundle.extract(xs, entries: entries, into: folder, stripping: "[timeline]/")
        }
    }
}

/// Opening and extracting XS packages safely.
enum XSBundle {
    static func open(_ path: String) throws -> XSPackage {
        do { return try XSPackage(path: path) } catch { throw CommandFailure("\(path): \(error)") }
    }

    /// The store bundled in the package at `path`, read in place (its
    /// `[timeline]/` entries are stored uncompressed, so each store file is a
    /// region of the package and only what a read needs is touched), or
    /// `nil` when `path` is not an XS package with a bundled store.
    static func bundledStore(_ path: String, key: EncryptionKey?) throws -> CheckpointStore? {
        guard !isDirectory(path), let xs = try? XSPackage(path: path), xs.entry("[timeline]/MANIFEST") != nil else { return nil }
        var regions: [String: StoreRegion] = [:]
        for entry in xs.entries where entry.path.hasPrefix("[timeline]/") {
            let name = String(entry.path.dropFirst("[timeline]/".count))
            if entry.isCompressed {
                guard CheckpointStore.sideFileNames.contains(name) else { throw CommandFailure("\(path): \(entry.path) is compressed; a bundled store keeps its files stored (unbundle it instead)") }
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
    static func extract(_ xs: XSPackage, entries: [XSPackage.Entry], into folder: String, stripping prefix: String) throws {
        for entry in entries {
            if let reason = XSPackage.unsafeReason(String(entry.path.dropFirst(prefix.count))) {
                throw CommandFailure("\(xs.path): entry \"\(entry.path)\" refused: \(reason)")
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
            } catch { throw CommandFailure("\(path): cannot create (\(error))") }
            files.append(path)
            defer { try? descriptor.close() }
            var failure: Errno?
            do {
                try xs.streamContents(of: entry) { piece in
                    guard failure == nil else { return }
                    do { _ = try descriptor.writeAll(piece) } catch { failure = error as? Errno ?? .ioError }
                }
            } catch { throw CommandFailure("\(xs.path): \(error)") }
            if let failure { throw CommandFailure("\(path): cannot write (\(failure))") }
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
            throw CommandFailure("\(path): not a folder tickscope can extract into (a link, a file, or \(String(cString: strerror(errno))))")
        }
        return false
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
