import PackCodec

extension JSONLines {
    /// The JSON form of one value (see ``JSONLines``).
    public static func json(_ value: FieldValue) -> JSONValue {
        switch value {
        case .bool(let v): return .bool(v)
        case .int(let v): return .number(String(v))
        case .uint(let v): return .number(String(v))
        case .float32(let v):
            if v.isNaN { return .string(v.bitPattern == Float.nan.bitPattern ? "nan" : "nan:0x" + String(v.bitPattern, radix: 16)) }
            if v.isInfinite { return .string(v < 0 ? "-inf" : "inf") }
            return .number(v.description)
        case .float64(let v):
            if v.isNaN { return .string(v.bitPattern == Double.nan.bitPattern ? "nan" : "nan:0x" + String(v.bitPattern, radix: 16)) }
            if v.isInfinite { return .string(v < 0 ? "-inf" : "inf") }
            return .number(v.description)
        case .string(let v): return .string(v)
        case .bytes(let v): return .string(v.hexString)
        }
    }

    /// Reads one value of `type` from its JSON form.
    static func fieldValue(_ value: JSONValue, type: FieldType, name: String) throws(JSONLinesProblem) -> FieldValue {
        func wrong() -> JSONLinesProblem { JSONLinesProblem("\(name): \(value.text) is not a valid \(type) value") }
        switch type {
        case .bool:
            guard case .bool(let v) = value else { throw wrong() }
            return .bool(v)
        case .int8, .int16, .int32, .int64:
            guard case .number(let text) = value, let v = Int64(text) else { throw wrong() }
            return .int(v)
        case .uint8, .uint16, .uint32, .uint64:
            guard case .number(let text) = value, let v = UInt64(text) else { throw wrong() }
            return .uint(v)
        case .float32:
            switch value {
            case .number(let text): guard let v = Float(text) else { throw wrong() }; return .float32(v)
            case .string(let text): guard let bits = nonFinite(text, nan: Float.nan.bitPattern, inf: Float.infinity.bitPattern, negInf: (-Float.infinity).bitPattern), let pattern = UInt32(exactly: bits) else { throw wrong() }
                let v = Float(bitPattern: pattern)
                guard !text.hasPrefix("nan:") || v.isNaN else { throw wrong() }
                return .float32(v)
            default: throw wrong()
            }
        case .float64:
            switch value {
            case .number(let text): guard let v = Double(text) else { throw wrong() }; return .float64(v)
            case .string(let text): guard let bits = nonFinite(text, nan: Double.nan.bitPattern, inf: Double.infinity.bitPattern, negInf: (-Double.infinity).bitPattern) else { throw wrong() }
                let v = Double(bitPattern: bits)
                guard !text.hasPrefix("nan:") || v.isNaN else { throw wrong() }
                return .float64(v)
            default: throw wrong()
            }
        case .string:
            guard case .string(let v) = value else { throw wrong() }
            return .string(v)
        case .bytes:
            guard case .string(let hex) = value, let bytes = [UInt8](hex: hex) else { throw wrong() }
            return .bytes(bytes)
        }
    }

    /// The bit pattern a non-finite float's string names, or `nil`.
    private static func nonFinite<T: FixedWidthInteger & UnsignedInteger>(_ text: String, nan: T, inf: T, negInf: T) -> UInt64? {
        switch text {
        case "nan": return UInt64(nan)
        case "inf": return UInt64(inf)
        case "-inf": return UInt64(negInf)
        default:
            guard text.hasPrefix("nan:0x"), let bits = UInt64(text.dropFirst(6), radix: 16) else { return nil }
            return bits
        }
    }
}
