import PackCodec

/// Reads bincode 1.x as tx2-pack writes it: fixed-width little-endian
/// integers, u64 lengths before strings and vectors, u32 enum tags. Every
/// length is checked against the bytes left before anything is allocated;
/// the reads themselves are PackCodec's `ByteReader`'s.
struct BincodeReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    private var endOfPayload: InteropError { .malformed("the payload ends at byte \(bytes.count), inside a field at offset \(offset)") }

    mutating func raw(_ count: Int) throws(InteropError) -> ArraySlice<UInt8> {
        do { return bytes[try ByteReader.bytes(in: bytes, advancing: &offset, count: count)] } catch { throw endOfPayload }
    }

    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws(InteropError) -> T {
        do { return try bytes.integer(advancing: &offset, as: T.self) } catch { throw endOfPayload }
    }

    mutating func bool() throws(InteropError) -> Bool {
        let byte: UInt8 = try integer()
        guard byte <= 1 else { throw .malformed("a bool of \(byte) at offset \(offset - 1)") }
        return byte == 1
    }

    /// A u64 element count, checked against what `elementSize` bytes each could fill.
    mutating func count(elementSize: Int) throws(InteropError) -> Int {
        let start = offset
        let value: UInt64 = try integer()
        guard value <= UInt64(remaining / max(1, elementSize)) else {
            throw .malformed("a count of \(value) at offset \(start) cannot fit in the \(remaining) bytes left")
        }
        return Int(value)
    }

    mutating func string() throws(InteropError) -> String {
        let start = offset
        let length = try count(elementSize: 1)
        guard let text = String(validating: try raw(length), as: UTF8.self) else { throw .malformed("the string at offset \(start) is not UTF-8") }
        return text
    }
}

/// Writes bincode 1.x the same way.
struct BincodeWriter {
    var bytes: [UInt8] = []

    mutating func integer<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func count(_ value: Int) { integer(UInt64(value)) }
    mutating func string(_ text: String) {
        count(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }
}
