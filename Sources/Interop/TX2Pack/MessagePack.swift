import PackCodec

/// A MessagePack value, as rmp-serde writes tx2-pack's payload (format 1):
/// structs as arrays, enum variants by name (a unit variant is a string, a
/// newtype variant a one-entry map), byte arrays as arrays of integers.
enum MessagePackValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float32(Float)
    case float64(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePackValue])
    case map([(MessagePackValue, MessagePackValue)])

    static func == (a: MessagePackValue, b: MessagePackValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.uint(x), .uint(y)): x == y
        case let (.float32(x), .float32(y)): x.bitPattern == y.bitPattern
        case let (.float64(x), .float64(y)): x.bitPattern == y.bitPattern
        case let (.string(x), .string(y)): x == y
        case let (.binary(x), .binary(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.map(x), .map(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value as an unsigned integer, if it is a non-negative integer.
    var unsigned: UInt64? {
        switch self {
        case .uint(let v): v
        case .int(let v) where v >= 0: UInt64(v)
        default: nil
        }
    }

    /// The value as a signed integer, if it fits.
    var signed: Int64? {
        switch self {
        case .int(let v): v
        case .uint(let v): Int64(exactly: v)
        default: nil
        }
    }
}

/// Reads MessagePack with every length checked against the bytes left and
/// nesting limited, so no input allocates more than it holds.
struct MessagePackReader {
    let bytes: [UInt8]
    private(set) var offset = 0
    private var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func value() throws(InteropError) -> MessagePackValue {
        guard offset < bytes.count else { throw .malformed("the MessagePack payload ends at byte \(offset)") }
        let start = offset
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case 0x00...0x7F: return .uint(UInt64(byte))
        case 0xE0...0xFF: return .int(Int64(Int8(bitPattern: byte)))
        case 0x80...0x8F: return try map(Int(byte & 0x0F))
        case 0x90...0x9F: return try array(Int(byte & 0x0F))
        case 0xA0...0xBF: return try string(Int(byte & 0x1F), at: start)
        case 0xC0: return .null
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4: return .binary(try take(Int(try integer(UInt8.self))))
        case 0xC5: return .binary(try take(Int(try integer(UInt16.self))))
        case 0xC6: return .binary(try take(Int(try integer(UInt32.self))))
        case 0xCA: return .float32(Float(bitPattern: try integer(UInt32.self)))
        case 0xCB: return .float64(Double(bitPattern: try integer(UInt64.self)))
        case 0xCC: return .uint(UInt64(try integer(UInt8.self)))
        case 0xCD: return .uint(UInt64(try integer(UInt16.self)))
        case 0xCE: return .uint(UInt64(try integer(UInt32.self)))
        case 0xCF: return .uint(try integer(UInt64.self))
        case 0xD0: return .int(Int64(Int8(bitPattern: try integer(UInt8.self))))
        case 0xD1: return .int(Int64(Int16(bitPattern: try integer(UInt16.self))))
        case 0xD2: return .int(Int64(Int32(bitPattern: try integer(UInt32.self))))
        case 0xD3: return .int(Int64(bitPattern: try integer(UInt64.self)))
        case 0xD9: return try string(Int(try integer(UInt8.self)), at: start)
        case 0xDA: return try string(Int(try integer(UInt16.self)), at: start)
        case 0xDB: return try string(Int(try integer(UInt32.self)), at: start)
        case 0xDC: return try array(Int(try integer(UInt16.self)))
        case 0xDD: return try array(Int(try integer(UInt32.self)))
        case 0xDE: return try map(Int(try integer(UInt16.self)))
        case 0xDF: return try map(Int(try integer(UInt32.self)))
        default: throw .malformed("MessagePack type byte 0x\(String(byte, radix: 16)) at offset \(start) is not one tx2-pack uses")
        }
    }

    private var pastTheEnd: InteropError { .malformed("a MessagePack value at offset \(offset) runs past the end") }

    /// A big-endian integer, as MessagePack stores every one.
    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(InteropError) -> T {
        do { return try bytes.integer(advancing: &offset, as: T.self, .bigEndian) } catch { throw pastTheEnd }
    }

    private mutating func take(_ count: Int) throws(InteropError) -> [UInt8] {
        do { return Array(bytes[try ByteReader.bytes(in: bytes, advancing: &offset, count: count)]) } catch { throw pastTheEnd }
    }

    private mutating func string(_ length: Int, at start: Int) throws(InteropError) -> MessagePackValue {
        guard let text = String(validating: try take(length), as: UTF8.self) else { throw .malformed("the string at offset \(start) is not UTF-8") }
        return .string(text)
    }

    private mutating func array(_ count: Int) throws(InteropError) -> MessagePackValue {
        guard count <= bytes.count - offset else { throw .malformed("an array of \(count) at offset \(offset) cannot fit") }
        depth += 1
        defer { depth -= 1 }
        guard depth <= 32 else { throw .malformed("MessagePack nested deeper than 32 at offset \(offset)") }
        var items: [MessagePackValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try value()) }
        return .array(items)
    }

    private mutating func map(_ count: Int) throws(InteropError) -> MessagePackValue {
        guard count <= (bytes.count - offset) / 2 else { throw .malformed("a map of \(count) at offset \(offset) cannot fit") }
        depth += 1
        defer { depth -= 1 }
        guard depth <= 32 else { throw .malformed("MessagePack nested deeper than 32 at offset \(offset)") }
        var pairs: [(MessagePackValue, MessagePackValue)] = []
        for _ in 0..<count { pairs.append((try value(), try value())) }
        return .map(pairs)
    }
}

/// Writes MessagePack the way rmp-serde does (smallest encodings).
struct MessagePackWriter {
    var bytes: [UInt8] = []

    mutating func write(_ value: MessagePackValue) {
        switch value {
        case .null: bytes.append(0xC0)
        case .bool(let v): bytes.append(v ? 0xC3 : 0xC2)
        case .uint(let v): unsigned(v)
        case .int(let v):
            if v >= 0 { unsigned(UInt64(v)) } else if v >= -32 { bytes.append(UInt8(bitPattern: Int8(v))) }
            else if v >= Int64(Int8.min) { bytes.append(0xD0); big(UInt8(bitPattern: Int8(v))) }
            else if v >= Int64(Int16.min) { bytes.append(0xD1); big(UInt16(bitPattern: Int16(v))) }
            else if v >= Int64(Int32.min) { bytes.append(0xD2); big(UInt32(bitPattern: Int32(v))) }
            else { bytes.append(0xD3); big(UInt64(bitPattern: v)) }
        case .float32(let v): bytes.append(0xCA); big(v.bitPattern)
        case .float64(let v): bytes.append(0xCB); big(v.bitPattern)
        case .string(let s):
            let utf8 = Array(s.utf8)
            if utf8.count < 32 { bytes.append(0xA0 | UInt8(utf8.count)) } else if utf8.count < 256 { bytes.append(0xD9); big(UInt8(utf8.count)) }
            else if utf8.count < 65536 { bytes.append(0xDA); big(UInt16(utf8.count)) } else { bytes.append(0xDB); big(UInt32(utf8.count)) }
            bytes.append(contentsOf: utf8)
        case .binary(let b):
            if b.count < 256 { bytes.append(0xC4); big(UInt8(b.count)) } else if b.count < 65536 { bytes.append(0xC5); big(UInt16(b.count)) }
            else { bytes.append(0xC6); big(UInt32(b.count)) }
            bytes.append(contentsOf: b)
        case .array(let items):
            if items.count < 16 { bytes.append(0x90 | UInt8(items.count)) } else if items.count < 65536 { bytes.append(0xDC); big(UInt16(items.count)) }
            else { bytes.append(0xDD); big(UInt32(items.count)) }
            for item in items { write(item) }
        case .map(let pairs):
            if pairs.count < 16 { bytes.append(0x80 | UInt8(pairs.count)) } else if pairs.count < 65536 { bytes.append(0xDE); big(UInt16(pairs.count)) }
            else { bytes.append(0xDF); big(UInt32(pairs.count)) }
            for (key, value) in pairs { write(key); write(value) }
        }
    }

    private mutating func unsigned(_ v: UInt64) {
        if v < 128 { bytes.append(UInt8(v)) } else if v < 256 { bytes.append(0xCC); big(UInt8(v)) }
        else if v < 65536 { bytes.append(0xCD); big(UInt16(v)) } else if v < 1 << 32 { bytes.append(0xCE); big(UInt32(v)) }
        else { bytes.append(0xCF); big(v) }
    }

    private mutating func big<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
}
