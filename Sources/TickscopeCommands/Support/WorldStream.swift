import Interop
import PackCodec
import SystemPackage

/// A stream of worlds on a file descriptor (`record --stdin`), read frame
/// by frame as it arrives, so a producer in any language can record
/// without a library:
/// - `jsonl`: JSON Lines worlds (docs/JSONL.md) one after another; each
///   header line (a line with a `format` member, the rule `import` uses)
///   starts the next world;
/// - `native`: native snapshot files, each preceded by its length as a
///   little-endian `u64`.
///
/// Errors name the frame (counted from 1) and the byte offset in the stream
/// where it starts.
struct WorldStream {
    enum Format: String, CaseIterable { case jsonl, native }

    let format: Format
    let descriptor: FileDescriptor
    let name: String
    let key: EncryptionKey?
    private var buffer: [UInt8] = []
    /// The stream offset of `buffer[0]`.
    private var bufferOffset = 0
    private var ended = false
    /// How many frames have been returned.
    private(set) var frames = 0

    init(format: Format, descriptor: FileDescriptor, name: String, key: EncryptionKey?) {
        self.format = format
        self.descriptor = descriptor
        self.name = name
        self.key = key
    }

    /// The next world, or `nil` at the end of the stream.
    mutating func next() throws -> Snapshot? {
        switch format {
        case .native: try nextNative()
        case .jsonl: try nextJSONLines()
        }
    }

    private func failure(_ start: Int, _ reason: String) -> CommandFailure {
        CommandFailure("\(name): frame \(frames + 1) (from byte \(start)): \(reason)")
    }

    /// Reads more of the stream; false at its end.
    private mutating func fill() throws -> Bool {
        guard !ended else { return false }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let count: Int
        do { count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) } } catch {
            throw CommandFailure("\(name): cannot read (\(error))")
        }
        if count == 0 { ended = true; return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private mutating func consume(_ count: Int) {
        buffer.removeFirst(count)
        bufferOffset += count
    }

    private mutating func nextNative() throws -> Snapshot? {
        let start = bufferOffset
        while buffer.count < 8 {
            guard try fill() else {
                if buffer.isEmpty { return nil }
                throw failure(start, "the stream ends inside the frame's 8-byte length (\(buffer.count) bytes)")
            }
        }
        let length = buffer.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length >= 8, length <= Limits.maxBlockLength else { throw failure(start, "a frame length of \(length) bytes") }
        while buffer.count < 8 + Int(length) {
            guard try fill() else { throw failure(start, "the stream ends after \(buffer.count - 8) of the frame's \(length) bytes") }
        }
        let bytes = Array(buffer[8..<8 + Int(length)])
        let world: Snapshot
        do { world = try SnapshotReader(bytes: bytes, key: key).readSnapshot() } catch { throw failure(start, "\(error)") }
        consume(8 + Int(length))
        frames += 1
        return world
    }

    private mutating func nextJSONLines() throws -> Snapshot? {
        // Skip to the first line of the world, then take lines up to the next header.
        let start = bufferOffset
        var end = 0
        var sawHeader = false
        var scanned = 0
        while true {
            guard let newline = buffer[scanned...].firstIndex(of: 0x0A) else {
                guard try fill() else {
                    end = buffer.count
                    break
                }
                continue
            }
            let line = buffer[scanned..<newline]
            if JSONLines.startsSnapshot(line) {
                if sawHeader { end = scanned; break }
                sawHeader = true
            }
            scanned = newline + 1
        }
        let text = Array(buffer[0..<end])
        if text.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09 }) {
            consume(end)
            return nil
        }
        let world: Snapshot
        do { world = try JSONLines.decode(text) } catch { throw failure(start, "\(error)") }
        consume(end)
        frames += 1
        return world
    }
}
