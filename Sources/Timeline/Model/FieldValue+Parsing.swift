import PackCodec

extension FieldValue {
    /// Parses a value of `type` as a person types it: `true`, `-3`, `2.5`,
    /// `nan`, text for strings, hex for bytes; `nil` when it is not one.
    public init?(parsing text: String, as type: FieldType) {
        guard let value = try? Self.parsed(text, as: type) else { return nil }
        self = value
    }

    /// Parses a value of `type` as a person types it, or says why it is not
    /// one: "1e40 does not fit f32", "300 does not fit u8 (0 to 255)".
    /// Infinity and NaN are accepted only when typed as such (`inf`,
    /// `-inf`, `nan`), never as the result of a number too large.
    /// - Throws: ``TimelineError/invalidRequest(_:)`` with the reason.
    public static func parsed(_ text: String, as type: FieldType) throws(TimelineError) -> FieldValue {
        func range<T: FixedWidthInteger>(_: T.Type) -> String { "\(T.min) to \(T.max)" }
        let typesInfinity = ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(text.lowercased())
        func integer<T: FixedWidthInteger>(_: T.Type) throws(TimelineError) -> FieldValue {
            guard let value = T(text) else {
                if Int64(text) != nil || UInt64(text) != nil { throw .invalidRequest("\(text) does not fit \(type) (\(range(T.self)))") }
                if let number = Double(text), number.isFinite {
                    throw .invalidRequest(number == number.rounded() ? "\(text) does not fit \(type) (\(range(T.self)))" : "\(text) is not a whole number (\(type))")
                }
                throw .invalidRequest("\(text) is not a number (\(type): \(range(T.self)))")
            }
            return T.isSigned ? .int(Int64(value)) : .uint(UInt64(value))
        }
        switch type {
        case .bool:
            guard let value = Bool(text) else { throw .invalidRequest("\(text) is not true or false") }
            return .bool(value)
        case .int8: return try integer(Int8.self)
        case .int16: return try integer(Int16.self)
        case .int32: return try integer(Int32.self)
        case .int64: return try integer(Int64.self)
        case .uint8: return try integer(UInt8.self)
        case .uint16: return try integer(UInt16.self)
        case .uint32: return try integer(UInt32.self)
        case .uint64: return try integer(UInt64.self)
        case .float32:
            guard let value = Float(text) else { throw .invalidRequest("\(text) is not a number (f32; inf, -inf and nan are)") }
            // A number too large for f32 is refused, not stored as inf.
            if value.isInfinite, !typesInfinity {
                throw .invalidRequest("\(text) does not fit f32 (largest \(Float.greatestFiniteMagnitude)); type inf to mean infinity")
            }
            return .float32(value)
        case .float64:
            guard let value = Double(text) else { throw .invalidRequest("\(text) is not a number (f64; inf, -inf and nan are)") }
            if value.isInfinite, !typesInfinity {
                throw .invalidRequest("\(text) does not fit f64 (largest \(Double.greatestFiniteMagnitude)); type inf to mean infinity")
            }
            return .float64(value)
        case .string:
            return .string(text)
        case .bytes:
            guard let bytes = [UInt8](hex: text) else { throw .invalidRequest("\(text) is not hex bytes (like 0a1b)") }
            return .bytes(bytes)
        }
    }
}
