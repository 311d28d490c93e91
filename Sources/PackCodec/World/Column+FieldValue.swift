extension Column {
    /// Value `index` as a ``FieldValue``.
    /// - Precondition: `index < count`.
    public func value(at index: Int) -> FieldValue {
        precondition(index >= 0 && index < count, "row \(index) out of range 0..<\(count)")
        switch type {
        case .bool: return .bool(storage[index] != 0)
        case .int8: return .int(Int64(load(Int8.self, index)))
        case .int16: return .int(Int64(load(Int16.self, index)))
        case .int32: return .int(Int64(load(Int32.self, index)))
        case .int64: return .int(load(Int64.self, index))
        case .uint8: return .uint(UInt64(storage[index]))
        case .uint16: return .uint(UInt64(load(UInt16.self, index)))
        case .uint32: return .uint(UInt64(load(UInt32.self, index)))
        case .uint64: return .uint(load(UInt64.self, index))
        case .float32: return .float32(load(Float.self, index))
        case .float64: return .float64(load(Double.self, index))
        case .string: return .string(String(decoding: variableBytes(at: index), as: UTF8.self))
        case .bytes: return .bytes(Array(variableBytes(at: index)))
        }
    }

    /// Appends a value, converting integers to the column's width.
    /// - Throws: ``PackError/invalidWorld(_:)`` when the value does not fit
    ///   the column's type (a string in a float column, 300 in a `u8` column).
    public mutating func append(_ value: FieldValue) throws(PackError) {
        func mismatch() -> PackError { .invalidWorld("value \(value) does not fit a column of \(type)") }
        switch (type, value) {
        case (.bool, .bool(let v)): appendFixed(v)
        case (.int8, _): guard let v = Int8(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.int16, _): guard let v = Int16(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.int32, _): guard let v = Int32(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.int64, _): guard let v = Int64(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.uint8, _): guard let v = UInt8(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.uint16, _): guard let v = UInt16(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.uint32, _): guard let v = UInt32(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.uint64, _): guard let v = UInt64(exactly: try integer(value, mismatch)) else { throw mismatch() }; appendFixed(v)
        case (.float32, .float32(let v)): appendFixed(v)
        case (.float64, .float64(let v)): appendFixed(v)
        case (.string, .string(let v)): appendVariable(Array(v.utf8))
        case (.bytes, .bytes(let v)): appendVariable(v)
        default: throw mismatch()
        }
    }

    private func integer(_ value: FieldValue, _ mismatch: () -> PackError) throws(PackError) -> Int128 {
        switch value {
        case .int(let v): Int128(v)
        case .uint(let v): Int128(v)
        default: throw mismatch()
        }
    }

    private func load<T>(_: T.Type, _ index: Int) -> T {
        storage.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self) }
    }
}
