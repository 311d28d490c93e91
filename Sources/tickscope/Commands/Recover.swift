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
                could not. Destroys nothing: bytes the new generation does not hold are set aside in files named *.set-aside-GEN.
                """)

        @OptionGroup var store: StoreOptions

        func run() throws {
            let report = try StoreRecovery.recover(store.directory, key: store.keyOptions.loadKey())
            printLine("recovered \(store.directory) as generation \(report.generation) from \(report.indexFile)")
            printLine("kept \(report.kept.count) checkpoints" + (report.kept.isEmpty ? "" : ": \(report.kept.first!)…\(report.kept.last!)"))
            for line in report.lost { printLine("lost: \(line)") }
            for name in report.setAside { printLine("set aside: \(store.directory)/\(name)") }
        }
    }
}
