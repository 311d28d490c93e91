import PackCodec

/// What turns a record's payload into the bytes a store file holds, and
/// back: the payload itself in a plain store; in an encrypted store,
/// `nonce ‖ AES-256-GCM ciphertext ‖ tag`, authenticated together with the
/// record's place (file kind, file number, payload offset, record kind), so
/// a record copied or moved to another place fails to open
/// (docs/STORE.md, "Encrypted stores").
struct RecordSealer {
    /// The store's key, or `nil` for a plain store.
    let key: EncryptionKey?
    /// The store's random id, bound into every record's authenticated data
    /// (empty for encrypted stores made before 1.2).
    var storeID: [UInt8] = []

    /// Bytes a sealed payload adds to the plain one.
    static let overhead = AESGCM.nonceSize + AESGCM.tagSize

    /// The framed record (header and stored payload) for a payload that will
    /// start at `offset` of file `number` (`magic` tells data from index
    /// files; `version` says which checksum the record carries).
    func frame(kind: UInt8, payload: [UInt8], magic: [UInt8], number: UInt32, version: UInt32, offset: UInt64) throws(TimelineError) -> [UInt8] {
        guard let key else { return RecordFile.frame(kind: kind, payload: payload, version: version) }
        var sealed: [UInt8] = []
        sealed.reserveCapacity(payload.count + Self.overhead)
        do {
            try Self.seal(payload, key: key, authenticating: Self.place(kind: kind, magic: magic, number: number, offset: offset) + storeID,
                          appendingTo: &sealed)
        } catch {
            throw .invalidRequest("cannot encrypt a record: \(error)")
        }
        return RecordFile.frame(kind: kind, payload: sealed, version: version)
    }

    /// The plain payload of a stored one read from `offset` of `file`.
    func open(_ stored: [UInt8], kind: UInt8, file: RecordFile, offset: UInt64) throws(TimelineError) -> [UInt8] {
        guard let key else { return stored }
        guard stored.count >= Self.overhead else {
            throw .file(path: file.path, .malformed(offset: Int(offset), reason: "an encrypted record of \(stored.count) bytes is too short"))
        }
        let aad = Self.place(kind: kind, magic: file.magic, number: file.number, offset: offset) + storeID
        guard let plain = stored.withUnsafeBytes({ Self.open($0, key: key, authenticating: aad) }) else {
            throw .recordTampered(path: file.path, offset: offset - UInt64(RecordFile.recordHeaderSize))
        }
        return plain
    }

    /// Appends `nonce ‖ ciphertext ‖ tag` of `plain` to `output`, under a
    /// random nonce.
    static func seal(_ plain: [UInt8], key: EncryptionKey, authenticating aad: [UInt8], appendingTo output: inout [UInt8]) throws(PackError) {
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        try plain.withBytes { (bytes) throws(PackError) in
            try AESGCM.seal(bytes, key: key, nonce: nonce, authenticating: aad, appendingTo: &output)
        }
    }

    /// The plain bytes of `nonce ‖ ciphertext ‖ tag`, or `nil` when it is
    /// too short or does not authenticate.
    static func open(_ sealed: UnsafeRawBufferPointer, key: EncryptionKey, authenticating aad: [UInt8]) -> [UInt8]? {
        guard sealed.count >= overhead else { return nil }
        var plain = [UInt8](repeating: 0, count: sealed.count - overhead)
        let ok = plain.withUnsafeMutableBytes { AESGCM.open(sealed, key: key, authenticating: aad, into: $0) }
        return ok ? plain : nil
    }

    /// A record's place: `magic (8) ‖ u32 file number ‖ u64 payload offset
    /// ‖ u8 kind`; the authenticated data is the place followed by the
    /// store id (docs/STORE.md, "Encrypted stores").
    static func place(kind: UInt8, magic: [UInt8], number: UInt32, offset: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(magic)
        writer.writeInteger(number)
        writer.writeInteger(offset)
        writer.writeInteger(kind)
        return writer.bytes
    }
}
