// Debug builds only: `@testable import` needs a module compiled for testing,
// so a release build of every product (`swift build -c release`) builds this
// target as an empty executable.
#if DEBUG
@testable import PackCodec

/// libFuzzer entry point for the block decoders behind the checksum: the
/// first bytes choose a descriptor (type, codec, filter, lengths, entity
/// count, format), the rest are the stored bytes, and the checksum is made to match, so
/// the fuzzer reaches lz4, zstd, the filters and the value checks instead of
/// stopping at the checksum. Built in debug mode, where @testable works.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlockDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 8 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let type = FieldType(rawValue: bytes[0] % 13 + 1),
        let codec = BlockCodec(code: bytes[1] % 3, level: bytes[1] % 3 == 2 ? 3 : 0),
        let filter = ByteFilter(rawValue: bytes[2] % 4)
    else { return 0 }
    let count = UInt64(bytes[3]) | UInt64(bytes[4]) << 8
    let stored = Array(bytes[8...])
    let raw: UInt64 = type.width.map { UInt64($0) * count } ?? (count * 4 + UInt64(bytes[5]))
    let encoded: UInt64 = switch filter {
    case .deltaVarint: UInt64(bytes[6]) * 64 + count
    case .fixedPoint: FixedPoint.encodedLength(count: count)
    default: raw
    }
    var descriptor = BlockDescriptor(
        offset: 32, storedLength: UInt64(stored.count), encodedLength: encoded, rawLength: raw,
        codec: codec, filter: filter, checksum: 0)
    let format: SnapshotFormat = [.version1, .version2, .version3][Int(bytes[7] % 3)]
    // Only descriptors a reader would accept reach the decoder, as in a file.
    guard (try? descriptor.validate(
        type: type, count: count, blockArea: 32..<(32 + UInt64(stored.count)), isEncrypted: false,
        allowsFixedPoint: format.hasFixedPoint, at: 0)) != nil
    else { return 0 }
    descriptor.checksum = stored.withUnsafeBytes { format.checksum($0).value }
    _ = try? stored.withBytes { (buffer) throws(PackError) in
        let decoded = try BlockDecoder.decode(
            buffer, descriptor: descriptor, type: type, number: 0, label: "fuzz", isEncrypted: false, key: nil, format: format)
        _ = try Column(decoding: decoded, type: type, count: Int(count), at: 32)
    }
    return 0
}
#endif
