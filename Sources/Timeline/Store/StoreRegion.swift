#if canImport(Glibc)
import Glibc
#endif

/// Where a store file's bytes are when the store is bundled in another file
/// (an XS package stores them uncompressed, so they are read in place).
public struct StoreRegion: Sendable, Equatable {
    /// The file that holds the bytes.
    public var container: String
    /// Where they start in it.
    public var offset: UInt64
    /// How many there are.
    public var length: UInt64

    public init(container: String, offset: UInt64, length: UInt64) {
        self.container = container
        self.offset = offset
        self.length = length
    }
}

/// Reads a whole (small) region at once: the manifest.
struct FileHandleRegion {
    let region: StoreRegion

    init(_ region: StoreRegion) { self.region = region }

    func bytes(path: String) throws(TimelineError) -> [UInt8] {
        let descriptor = open(region.container, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .file(path: region.container, .io(operation: "cannot open", path: region.container, errno: errno)) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: Int(region.length))
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(region.offset)) }
        guard got == bytes.count else { throw .file(path: path, .truncated(needed: bytes.count, available: max(0, got), offset: 0)) }
        return bytes
    }
}
