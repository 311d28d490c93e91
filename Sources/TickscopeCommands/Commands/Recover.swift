import ArgumentParser
import Timeline

extension Tickscope {
    /// `tickscope recover DIR`: a usable store again after a lost tail or a
    /// damaged or missing MANIFEST.
    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a damaged store from its intact records, as a new generation.",
            discussion: """
                For a store whose MANIFEST is missing or damaged, or whose index or data files lost their tail. \
                Keeps every checkpoint whose records are intact and whose blocks decode, and prints what it kept and what it \
                could not. Destroys nothing: bytes the new generation does not hold are set aside in files named *.set-aside-GEN. \
                With -o, the store's files are copied into a new folder and the copy is recovered; the original is only read.
                """)

        @OptionGroup var store: StoreOptions

        @Option(name: [.customShort("o"), .long], help: "Recover a copy into this new (or empty) folder; the store itself is left as it is.")
        var output: String?

        func run() throws {
            if output == nil { try SampleCopy.refuseWriting(to: store.directory) }
            let key = try store.keyOptions.loadKey()
            let report = try output.map { try StoreRecovery.recover(store.directory, into: $0, key: key) }
                ?? StoreRecovery.recover(store.directory, key: key)
            let recovered = output ?? store.directory
            printLine("recovered \(recovered) as generation \(report.generation) from \(report.indexFile)")
            printLine("kept \(counted(report.kept.count, "checkpoint"))" + (report.kept.isEmpty ? "" : ": \(report.kept.first!)…\(report.kept.last!)"))
            for line in report.lost { printLine("lost: \(line)") }
            for name in report.setAside { printLine("set aside: \(recovered)/\(name)") }
        }
    }
}
