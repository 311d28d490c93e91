/// CRC-64/WE: polynomial 0x42F0E1EBA9EA3693 (ECMA-182), MSB first, init and
/// xorout all ones; check value 0x62EC59E3F1A4F00A for "123456789". The
/// checksum PECS files end with. No system library offers this variant
/// (liblzma's CRC-64 is the reflected XZ one), so it is written here, table
/// driven, and pinned by its check value in the tests.
public enum CRC64WE {
    static let table: [UInt64] = (0..<256).map { byte in
        var crc = UInt64(byte) << 56
        for _ in 0..<8 { crc = crc & (1 << 63) != 0 ? (crc << 1) ^ 0x42F0_E1EB_A9EA_3693 : crc << 1 }
        return crc
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var crc = UInt64.max
        for byte in bytes { crc = table[Int((crc >> 56) ^ UInt64(byte))] ^ (crc << 8) }
        return crc ^ UInt64.max
    }
}
