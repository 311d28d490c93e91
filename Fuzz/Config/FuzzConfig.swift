import Interop
import ScopeUI

/// libFuzzer entry point for the text formats a user writes: the first
/// byte picks a theme file, a keys file, the config file, a filter
/// expression or a PECS schema file. Any text must parse or give a
/// one-line error naming the line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    switch data[0] % 5 {
    case 0: _ = try? ThemeFile.parse(text, name: "fuzz", file: "fuzz.theme", colors: Int(data[0]) % 2 == 0 ? 256 : 8)
    case 1: _ = try? KeysFile.apply(text, file: "keys", to: .standard)
    case 2: _ = try? ConfigFile.parse(text, file: "config")
    case 3: _ = try? FilterExpression.parse(text)
    default: _ = try? PECSSchema(text: text, file: "schema")
    }
    return 0
}
