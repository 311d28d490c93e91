import PackCodec

/// `STOREID`: a copy of an encrypted store's id (docs/STORE.md), the one
/// value recovery cannot rebuild from the records themselves, kept beside
/// the MANIFEST so that losing the MANIFEST does not lose the store. It is
/// not secret (the MANIFEST holds it in the clear too) and not trusted: a
/// wrong id only makes every record fail authentication.
enum StoreIdentity {
    static let fileName = "STOREID"

    /// The file's text: the id as 32 lowercase hexadecimal digits and a newline.
    static func text(_ id: [UInt8]) -> [UInt8] { Array((id.hexString + "\n").utf8) }

    /// The id in the folder's `STOREID`, or `nil` when it is missing, not a
    /// regular file or not 16 bytes in hexadecimal.
    static func read(in folder: any StoreFolder) -> [UInt8]? {
        guard let bytes = (try? folder.read(fileName, limit: 64)) ?? nil else { return nil }
        let digits = bytes.filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 }
        guard digits.count == 32 else { return nil }
        var id: [UInt8] = []
        for index in stride(from: 0, to: 32, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            id.append(byte)
        }
        return id
    }
}
