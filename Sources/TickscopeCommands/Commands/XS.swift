#if canImport(Glibc)
import Formats
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
                output.line("\(package): XS package, " + (xs.version.map { "XSENGINE layout version \($0)" } ?? "first layout (no magic)") + ", \(counted(xs.entries.count, "entry", "entries"))")
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
            try refuseStoreFile(output)
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

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
