/// Appends little-endian values to a growing byte array.
///
/// `write*` appends. Nothing is patched after it is written: snapshot files
/// put their table of contents at the end.
package struct ByteWriter {
    /// Everything written so far.
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// The number of bytes written.
    package var count: Int { bytes.count }

    /// Appends a little-endian integer.
    package mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    package mutating func writeBytes(_ source: some Sequence<UInt8>) {
        bytes.append(contentsOf: source)
    }

    /// Appends a `u32` byte length, then the string's UTF-8 bytes.
    package mutating func writeString(_ string: String) {
        let utf8 = Array(string.utf8)
        writeInteger(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
