import Interop
import PackCodec

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point for the foreign-format readers. The first byte
/// picks one: 0 tx2-pack (with a fixed key, so encrypted inputs reach the
/// decryption and the payload), 1 TKSN, 2 PECS (both layouts, with and
/// without a schema), 3 XS (written to a scratch file, then every entry
/// read). Any bytes must give a value or an `InteropError`; the worlds built
/// from them must pass the model's checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForeignFormats(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0:
        if let file = try? TX2PackFile.read(bytes, key: FuzzState.key), let world = try? file.world() { precondition((try? world.validate()) != nil) }
    case 1:
        if let file = try? TKSNSnapshot.read(bytes) { precondition((try? file.world.validate()) != nil) }
    case 2:
        if let file = try? PECSFile.read(bytes) {
            _ = try? file.world(schema: nil)
            _ = try? file.world(schema: FuzzState.schema)
        }
    default:
        let path = FuzzState.scratch
        guard let handle = fopen(path, "wb") else { return 0 }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
        if let package = try? XSPackage(path: path) {
            for entry in package.entries { _ = try? package.contents(of: entry) }
        }
    }
    return 0
}

enum FuzzState {
    static let key = try! EncryptionKey(bytes: Array(0..<32))
    static let schema = try! PECSSchema(text: "Position = x:f32 y:f32 z:f32\nHealth = value:f32\n", file: "fuzz")
    static let scratch = "/tmp/tickscope-fuzz-xs-\(getpid()).xs"
}
