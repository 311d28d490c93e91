import Interop

/// libFuzzer entry point for the JSON Lines reader (and the JSON parser
/// under it): any bytes must give a snapshot or an `InteropError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? JSONLines.decode(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
