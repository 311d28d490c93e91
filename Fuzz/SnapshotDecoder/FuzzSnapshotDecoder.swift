import PackCodec

/// libFuzzer entry point: open any bytes as a snapshot file and decode
/// everything it claims to hold. Must never crash, hang or over-allocate;
/// every failure must be a ``PackError``. Build and run: docs/RELIABILITY.md.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let reader = try? SnapshotReader(bytes: bytes) else { return 0 }
    _ = try? reader.readSnapshot()
    _ = reader.verify()
    return 0
}
