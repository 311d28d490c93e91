import Foundation
import Testing

@Suite struct FootprintTests {
    /// Foundation's own libraries (libFoundation, its internationalization
    /// and ICU) kept about 6 MB resident in every `tickscope` process; the
    /// modules need only FoundationEssentials (JSON, `Data`, `FileManager`),
    /// which swift-argument-parser loads anyway.
    @Test("the executable loads FoundationEssentials and none of Foundation's larger libraries")
    func noFoundationLibraries() throws {
        // The dynamic loader lists what it would load, and exits: what `ldd` does.
        let result = try TickscopeProcess.run(["--help"], environment: ["LD_TRACE_LOADED_OBJECTS": "1"])
        #expect(result.stdout.contains("libswiftCore.so"), "the loader listed nothing: \(result.stdout) \(result.stderr)")
        for library in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
            #expect(!result.stdout.contains(library), "\(library) is loaded: \(result.stdout)")
        }
    }
}
