// Debug builds only: `@testable import` needs a module compiled for testing,
// so a release build of every product (`swift build -c release`) builds this
// target as an empty executable.
#if DEBUG
import PackCodec
@testable import Timeline

/// libFuzzer entry point for the checkpoint store's on-disk parsers: the
/// manifest, index records of every kind, delta-block payloads and full
/// blocks with a bridge (kind 4, selector bit 0x40). The first byte picks
/// the parser; any input must give a value or a typed error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0: _ = try? StoreManifest.parse(bytes, path: "fuzz")
    // A checkpoint: kind 7 (with statistics, what writers write) or kind 1 (without).
    case 1: _ = try? IndexRecord.parse(kind: data[0] >= 128 ? 7 : 1, payload: bytes)
    case 2: _ = try? IndexRecord.parse(kind: data[0] / 4 % 8, payload: bytes)  // every kind, 1-7, and unknown ones
    default:
        if data[0] & 0x40 != 0 {
            // A full block with a bridge: the bridge applied, the full block decoded.
            _ = try? bytes.withBytes { (raw) throws(PackError) in
                let bridged = try BridgedBlock(bytes: raw)
                if let rows = try? bridged.bridge.changedRows() {
                    _ = try? bridged.bridge.apply(to: Column([Float](repeating: 0, count: 64)), rows: rows)
                }
                _ = try ColumnBlock.decodeColumn(verifiedRecord: UnsafeRawBufferPointer(rebasing: raw[bridged.fullBlock]), label: "fuzz")
            }
        } else if let delta = try? ColumnDelta(payload: bytes, kind: data[0] >= 128 ? ColumnDelta.remappedKind : ColumnDelta.kind),
            let rows = try? delta.changedRows() {
            _ = try? delta.apply(to: Column([Float](repeating: 0, count: 64)), rows: rows)
        }
    }
    return 0
}
#endif
