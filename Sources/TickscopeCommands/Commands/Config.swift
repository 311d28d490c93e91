import ArgumentParser
import Timeline

extension Tickscope {
    /// `tickscope config DIR [KEY [VALUE]]`: the store's settings.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change a store's settings (its CONFIG file).",
            discussion: """
                With no KEY, prints every setting; with KEY, its value; with KEY VALUE, sets it; --unset KEY removes it. \
                resume: the shell command the debugger's R runs to carry a branch on, with {store} and {branch} filled in, \
                for example: tickscope config STORE resume 'python3 sim.py --resume {store}@{branch}'. \
                Recordings of the built-in simulations need none.
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "A setting: resume.") var key: String?
        @Argument(help: "Its new value.") var value: String?
        @Flag(help: "Remove the setting KEY.") var unset = false

        func validate() throws {
            if unset, key == nil || value != nil { throw ValidationError("--unset takes a KEY and no VALUE") }
            if let key, StoreConfig.known[key] == nil { throw ValidationError("no setting \(key) (known: \(StoreConfig.known.keys.sorted().joined(separator: ", ")))") }
        }

        func run() throws {
            let opened = try store.open()
            guard let key else {
                for (key, value) in try opened.config().values { printLine("\(key) \(value)") }
                return
            }
            if unset || value != nil {
                try SampleCopy.refuseWriting(to: store.directory)
                try opened.setConfig(key, to: unset ? nil : value)
            } else if let current = try opened.config()[key] {
                printLine(current)
            } else {
                throw CommandFailure("\(store.directory): \(key) is not set")
            }
        }
    }
}
