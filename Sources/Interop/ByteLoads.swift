import PackCodec

/// The order of an integer's bytes in a foreign file.
enum ByteOrder { case littleEndian, bigEndian }

extension Array where Element == UInt8 {
    /// The integer stored in `range`, which a reader has checked
    /// (`ByteReader.bytes(in:advancing:count:)`); loaded here, in this
    /// module, so that the load is specialized for `T`.
    func integer<T: FixedWidthInteger>(at range: Range<Int>, _ order: ByteOrder = .littleEndian) -> T {
        let raw = withUnsafeBytes { $0.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self) }
        return order == .littleEndian ? T(littleEndian: raw) : T(bigEndian: raw)
    }

    /// The integer at `offset`, checked, with `offset` moved past it.
    func integer<T: FixedWidthInteger>(advancing offset: inout Int, as _: T.Type = T.self, _ order: ByteOrder = .littleEndian) throws(PackError) -> T {
        integer(at: try ByteReader.bytes(in: self, advancing: &offset, count: MemoryLayout<T>.size), order)
    }
}
