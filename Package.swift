// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tickscope",
    // Linux only (glibc): no Apple platform is declared, since none is supported.
    products: [
        .executable(name: "tickscope", targets: ["tickscope"]),
        // The libraries behind the debugger (docs/API.md): snapshot files; stores, time and queries; every format.
        .library(name: "PackCodec", targets: ["PackCodec"]),
        .library(name: "Timeline", targets: ["Timeline"]),
        .library(name: "Formats", targets: ["Formats"]),
        // Recording from a simulation's own program (docs/RECORDING.md).
        .library(name: "TickscopeRecorder", targets: ["TickscopeRecorder"]),
        // The C interface (include/tickscope.h); `make sdk` installs it as libtickscope.so.
        .library(name: "TickscopeC", type: .dynamic, targets: ["TickscopeC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        // No pkgConfig: SwiftPM drops its -D flags; the shim enables wide characters itself.
        .systemLibrary(name: "CNcurses"),
        // glibc's <malloc.h>, for the executable's allocator tuning.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CFileSpace"),
        // Column bounds for block statistics, vectorized per CPU (the header says why it is C).
        .target(name: "CColumnBounds"),
        // Copies that store around the cache, for large blocks read out of a mapping (the header says why it is C).
        .target(name: "CStreamingCopy"),

        .target(
            name: "PackCodec",
            dependencies: ["CZstd", "CLZ4", "COpenSSL", "CZlib", "CXXHash", "CFileSpace", "CColumnBounds", "CStreamingCopy", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "Interop",
            dependencies: ["PackCodec", "CZlib", "CLZ4"]
        ),
        .target(
            name: "Timeline",
            dependencies: ["PackCodec", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Every format Tickscope reads, told apart by content, opened as a timeline.
        .target(
            name: "Formats",
            dependencies: ["PackCodec", "Interop", "Timeline", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "TickscopeRecorder",
            dependencies: ["Timeline", "PackCodec"]
        ),
        .target(
            name: "TickscopeC",
            dependencies: ["TickscopeRecorder", "Timeline", "Formats", "PackCodec"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-soname=libtickscope.so"])]
        ),
        .target(
            name: "ScopeUI",
            dependencies: ["Timeline", "PackCodec", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "Terminal",
            dependencies: ["ScopeUI", "CNcurses"]
        ),
        .target(
            name: "Simulations",
            dependencies: ["PackCodec", "Timeline"]
        ),
        // The command line: one file a command; each parses options and calls the libraries.
        .target(
            name: "TickscopeCommands",
            dependencies: [
                "PackCodec", "Interop", "Timeline", "Formats", "Simulations", "ScopeUI", "Terminal", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The executable: main.swift, one call into TickscopeCommands.
        .executableTarget(
            name: "tickscope",
            dependencies: ["TickscopeCommands"]
        ),
        // libFuzzer entry points; see docs/RELIABILITY.md. In a normal build
        // each is a harmless no-op executable.
        // The Swift recording example (Examples/swift, docs/RECORDING.md), built with the tests.
        .executableTarget(
            name: "herd",
            dependencies: ["PackCodec", "TickscopeRecorder"],
            path: "Examples/swift"
        ),
        .executableTarget(
            name: "fuzz-snapshot",
            dependencies: ["PackCodec"],
            path: "Fuzz/SnapshotDecoder"
        ),
        .executableTarget(
            name: "fuzz-block",
            dependencies: ["PackCodec"],
            path: "Fuzz/BlockDecoder"
        ),
        .executableTarget(
            name: "fuzz-store",
            dependencies: ["Timeline", "PackCodec"],
            path: "Fuzz/StoreRecords"
        ),
        .executableTarget(
            name: "fuzz-store-folder",
            dependencies: ["Timeline", "PackCodec", "ScopeUI"],
            path: "Fuzz/StoreFolder"
        ),
        .executableTarget(
            name: "fuzz-jsonl",
            dependencies: ["Interop"],
            path: "Fuzz/JSONLines"
        ),
        .executableTarget(
            name: "fuzz-foreign",
            dependencies: ["Interop", "PackCodec"],
            path: "Fuzz/ForeignFormats"
        ),
        .executableTarget(
            name: "fuzz-config",
            dependencies: ["ScopeUI", "Interop", "Timeline", "PackCodec"],
            path: "Fuzz/Config"
        ),
        .testTarget(
            name: "PackCodecTests",
            dependencies: ["PackCodec", "CStreamingCopy", "Interop", "Simulations"],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: ["Interop", "PackCodec", "Simulations"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TimelineTests",
            dependencies: ["Timeline", "PackCodec", "Simulations", "TickscopeRecorder"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ScopeUITests",
            dependencies: ["ScopeUI", "Timeline", "Simulations", "PackCodec", "TickscopeRecorder"]
        ),
        .testTarget(
            name: "CSystemLibraryTests",
            dependencies: ["CNcurses", "CLZ4"]
        ),
        // docs/API.md's examples, through the public API only.
        .testTarget(
            name: "APIExampleTests",
            dependencies: ["PackCodec", "Timeline", "Formats"]
        ),
        .testTarget(
            name: "TickscopeCLITests",
            dependencies: ["tickscope", "TickscopeCommands", "PackCodec", "Timeline", "Simulations"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
