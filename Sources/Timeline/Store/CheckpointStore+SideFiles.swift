import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// Side files: small files beside the store's own (the debugger's `MARKS`),
/// outside any generation. In an encrypted store they are encrypted with
/// the store's key, so nothing in the folder is readable without it
/// (docs/STORE.md, "Encrypted stores").
extension CheckpointStore {
    static let sideFileMagic: [UInt8] = Array("TSCPSIDE".utf8)

    /// The largest side file read.
    public static let sideFileLimit = 1 << 20

    /// Reads the side file `name`, decrypted; `nil` when there is none.
    /// - Throws: ``TimelineError`` naming the file when it cannot be read,
    ///   is too large, or (in an encrypted store) fails authentication.
    public func readSideFile(_ name: String) throws(TimelineError) -> [UInt8]? {
        let file = path + "/" + name
        let stored: [UInt8]
        if let regions {
            guard let region = regions[name] else { return nil }
            guard region.length <= UInt64(Self.sideFileLimit) else {
                throw .file(path: file, .sizeLimitExceeded(what: "a side file", declared: region.length, limit: UInt64(Self.sideFileLimit)))
            }
            stored = try FileHandleRegion(region).bytes(path: file)
        } else {
            guard access(file, F_OK) == 0 else { return nil }
            do { stored = try FileInput.readAll(path: file, limit: Self.sideFileLimit) } catch { throw .file(path: file, error) }
        }
        guard let key = sealer.key else { return stored }
        let header = Self.sideFileMagic.count
        guard stored.count >= header + RecordSealer.overhead, Array(stored.prefix(header)) == Self.sideFileMagic else {
            throw .file(path: file, .malformed(offset: 0, reason: "not an encrypted side file, in an encrypted store"))
        }
        let opened = stored.withUnsafeBytes { all in
            RecordSealer.open(UnsafeRawBufferPointer(rebasing: all[header...]), key: key, authenticating: Self.sideFileMagic + Array(name.utf8))
        }
        guard let opened else { throw .file(path: file, .tamperedBlock(block: -1, column: "the whole file")) }
        return opened
    }

    /// Replaces the side file `name` atomically (temporary file, sync,
    /// rename), encrypted in an encrypted store. Needs no writer lock: the
    /// store's own files never refer to side files.
    public func writeSideFile(_ name: String, _ bytes: [UInt8]) throws(TimelineError) {
        let file = path + "/" + name
        guard regions == nil else { throw .invalidRequest("\(file): a bundled store is read-only") }
        var stored = bytes
        if let key = sealer.key {
            stored = Self.sideFileMagic
            do { try RecordSealer.seal(bytes, key: key, authenticating: Self.sideFileMagic + Array(name.utf8), appendingTo: &stored) } catch {
                throw .file(path: file, error)
            }
        }
        do { try writeFileAtomically(stored, to: file) } catch { throw .file(path: file, error) }
    }
}
