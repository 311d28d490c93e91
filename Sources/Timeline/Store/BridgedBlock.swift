import PackCodec

/// A full block stored with a bridge (store 1.9, data record kind 4,
/// docs/STORE.md): the column whole, as a kind-1 record holds it, and the
/// delta that turns the previous checkpoint's version of the column into
/// it. A full block starts a delta chain, so before 1.9 nothing on disk
/// said what changed across it, and a step back across one decoded the
/// chain before it (a full block and up to 12 deltas, 15–23 ms a column
/// at a million rows). The bridge answers that step, and the step forward
/// onto it, from the one record.
///
/// The bridge's base names a content hash only (file, offset and length
/// zero, depth 1): it applies to whichever column has that content. After
/// a prune the previous checkpoint may hold another column; then the
/// bridge is simply not used.
///
/// ```swift
/// let payload = try BridgedBlock.payload(full: block.recordBytes, bridge: delta)
/// let read = try payload.withBytes { (bytes) throws(PackError) in try BridgedBlock(bytes: bytes) }
/// // read.bridge.base.contentHash: the column it bridges from; read.fullBlock: the kind-1 payload's bytes
/// ```
struct BridgedBlock {
    /// The record kind of a full block with a bridge in a data file.
    static let kind: UInt8 = 4
    /// Full blocks smaller than this (stored bytes) get no bridge: they
    /// decode about as fast as a bridge would be read, and small
    /// archetypes would pay its framing for nothing.
    static let minimumFullBytes = 64 << 10
    /// Where a bridge's base content hash lies in the payload: after the
    /// `u64` length of the bridge, the first 32 bytes of the bridge.
    static let baseHashRange = 8..<40

    /// The delta from the previous version of the column (its base names a
    /// content hash only).
    var bridge: ColumnDelta
    /// Where the full block's kind-1 payload lies in the record's payload.
    var fullBlock: Range<Int>

    /// The payload of a kind-4 record: `u64` length of the bridge, the
    /// bridge (a kind-3 payload whose base reference keeps only its content
    /// hash), then `full`, a kind-1 payload, to the end.
    static func payload(full: [UInt8], bridge: ColumnDelta) throws(PackError) -> [UInt8] {
        var hashOnly = bridge
        hashOnly.base = BlockRef(contentHash: bridge.base.contentHash, file: 0, offset: 0, length: 0)
        hashOnly.depth = 1
        hashOnly.xorsValues = true
        let bridgeBytes = try hashOnly.payload()
        var writer = ByteWriter()
        writer.writeInteger(UInt64(bridgeBytes.count))
        writer.writeBytes(bridgeBytes)
        writer.writeBytes(full)
        return writer.bytes
    }

    /// Reads a kind-4 payload: parses the bridge, finds the full block.
    init(bytes: UnsafeRawBufferPointer) throws(PackError) {
        var reader = ByteReader(bytes)
        let length = try reader.readInteger(as: UInt64.self)
        guard length <= UInt64(reader.remaining) else {
            throw .truncated(needed: Int(clamping: length), available: reader.remaining, offset: reader.offset)
        }
        let start = reader.offset, end = start + Int(length)
        bridge = try Self.bridge(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), at: start)
        guard end < bytes.count else { throw .truncated(needed: 1, available: 0, offset: end) }
        fullBlock = end..<bytes.count
    }

    /// Reads a bridge (the kind-3 payload found `at` that offset of a
    /// kind-4 payload), checking that its base names a content hash only.
    static func bridge(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(PackError) -> ColumnDelta {
        let bridge = try ColumnDelta(bytes: bytes, kind: ColumnDelta.remappedKind)
        guard bridge.base.file == 0, bridge.base.offset == 0, bridge.base.length == 0, bridge.depth == 1 else {
            throw .malformed(offset: start + 32, reason: "a bridge's base must name a content hash only, at depth 1")
        }
        return bridge
    }
}
