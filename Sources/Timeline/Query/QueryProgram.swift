import PackCodec

/// What an expression reads of one archetype at one checkpoint: its ids,
/// its components, the decoded columns it needs, the values before (for
/// `changed`) and the change counts over the range (for `changes`).
struct QueryRows {
    var ids: [EntityID]
    var components: Set<String>
    var columns: [ColumnKey: Column]
    /// For `changed(C.f)`: the entity's value at the checkpoint before, by field.
    var previous: [ColumnKey: [EntityID: FieldValue]] = [:]
    /// For `changes(C.f)`: how many times each entity's value changed over the range.
    var changeCounts: [ColumnKey: [EntityID: Int]] = [:]
    /// What the rows were read from: equal fingerprints hold equal rows for
    /// what the expression reads (`nil`: rows not read from a store).
    var fingerprint: RowsFingerprint?
}

/// An archetype's components, its id block and the blocks an expression
/// reads, by content hash (`nil` for a field the archetype lacks).
struct RowsFingerprint: Hashable {
    var components: ArchetypeSignature
    var ids: ContentHash
    var columns: [ContentHash?]
}

/// An expression compiled against one archetype's columns into closures of
/// the row number: checked types make every cast here safe.
enum QueryProgram {
    typealias Condition = (Int) -> Bool
    typealias Number = (Int) -> Double
    typealias Text = (Int) -> String

    static func condition(_ expression: QueryExpression, _ rows: QueryRows) -> Condition {
        switch expression {
        case .bool(let value): return { _ in value }
        case .field(let component, let field):
            let storage = rows.columns[ColumnKey(component: component, field: field)]!.storage
            return { row in storage[row] != 0 }
        case .has(let component):
            let present = rows.components.contains(component)
            return { _ in present }
        case .changed(let component, let field):
            let key = ColumnKey(component: component, field: field)
            let column = rows.columns[key]!, before = rows.previous[key] ?? [:], ids = rows.ids
            return { row in before[ids[row]].map { $0 != column.value(at: row) } ?? false }
        case .not(let inner):
            let test = condition(inner, rows)
            return { !test($0) }
        case .binary(.and, let left, let right):
            let a = condition(left, rows), b = condition(right, rows)
            return { a($0) && b($0) }
        case .binary(.or, let left, let right):
            let a = condition(left, rows), b = condition(right, rows)
            return { a($0) || b($0) }
        case .binary(let op, let left, let right):
            return comparison(op, left, right, rows)
        default:
            preconditionFailure("not a condition: \(expression)")
        }
    }

    /// A comparison of two checked operands of the same type.
    private static func comparison(_ op: QueryOperator, _ left: QueryExpression, _ right: QueryExpression, _ rows: QueryRows) -> Condition {
        if let exact = integerComparison(op, left, right, rows) { return exact }
        if let type = Self.type(of: left, rows), type == .string {
            let a = text(left, rows), b = text(right, rows)
            // Order of UTF-8 bytes, as docs/QUERY.md says.
            return { row in compare(op, Array(a(row).utf8).lexicographicallyPrecedes(Array(b(row).utf8)) ? -1 : (a(row) == b(row) ? 0 : 1)) }
        }
        if let type = Self.type(of: left, rows), type == .bool {
            let a = condition(left, rows), b = condition(right, rows)
            return op == .equal ? { a($0) == b($0) } : { a($0) != b($0) }
        }
        // `x == nan` and `x != nan` ask whether x is NaN; any other comparison with NaN is false.
        if case .number(let value, _) = right, value.isNaN, op == .equal || op == .notEqual {
            let a = number(left, rows)
            return op == .equal ? { a($0).isNaN } : { !a($0).isNaN }
        }
        let a = number(left, rows), b = number(right, rows)
        switch op {
        case .less: return { a($0) < b($0) }
        case .lessOrEqual: return { a($0) <= b($0) }
        case .greater: return { a($0) > b($0) }
        case .greaterOrEqual: return { a($0) >= b($0) }
        case .equal: return { a($0) == b($0) }
        default: return { a($0) != b($0) }
        }
    }

    private static func compare(_ op: QueryOperator, _ order: Int) -> Bool {
        switch op {
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        case .equal: order == 0
        default: order != 0
        }
    }

    /// An integer field or `id` against a whole-number literal compares
    /// exactly, in 64-bit integers, not in binary64.
    private static func integerComparison(_ op: QueryOperator, _ left: QueryExpression, _ right: QueryExpression, _ rows: QueryRows) -> Condition? {
        var (subject, literal, op) = (left, right, op)
        if case .number = left {
            (subject, literal) = (right, left)
            op = switch op {
            case .less: .greater
            case .lessOrEqual: .greaterOrEqual
            case .greater: .less
            case .greaterOrEqual: .lessOrEqual
            default: op
            }
        }
        guard case .number(_, let text) = literal else { return nil }
        let read: ((Int) -> Int64)?, readUnsigned: ((Int) -> UInt64)?
        switch subject {
        case .id:
            let ids = rows.ids
            (read, readUnsigned) = (nil, { ids[$0].rawValue })
        case .field(let component, let field):
            let column = rows.columns[ColumnKey(component: component, field: field)]!
            switch column.type {
            case .int8, .int16, .int32, .int64:
                (read, readUnsigned) = ({ row in if case .int(let v) = column.value(at: row) { return v } else { return 0 } }, nil)
            case .uint8, .uint16, .uint32, .uint64:
                (read, readUnsigned) = (nil, { row in if case .uint(let v) = column.value(at: row) { return v } else { return 0 } })
            default: return nil
            }
        default: return nil
        }
        // A literal that is not a whole number in range: the comparison is decided by its sign or size.
        if let readUnsigned {
            if let value = UInt64(text) { return { compare(op, readUnsigned($0) < value ? -1 : (readUnsigned($0) == value ? 0 : 1)) } }
            if let negative = Int64(text), negative < 0 { return { _ in compare(op, 1) } }
            return nil
        }
        if let read, let value = Int64(text) { return { compare(op, read($0) < value ? -1 : (read($0) == value ? 0 : 1)) } }
        return nil
    }

    private static func type(of expression: QueryExpression, _ rows: QueryRows) -> QueryType? {
        switch expression {
        case .string: return .string
        case .bool, .has, .changed, .not: return .bool
        case .field(let component, let field):
            return rows.columns[ColumnKey(component: component, field: field)].map { QueryChecker.valueType(of: $0.type) }
        case .binary(let op, _, _): return op.isArithmetic ? .number : .bool
        default: return .number
        }
    }

    static func number(_ expression: QueryExpression, _ rows: QueryRows) -> Number {
        switch expression {
        case .number(let value, _): return { _ in value }
        case .id:
            let ids = rows.ids
            return { Double(ids[$0].rawValue) }
        case .field(let component, let field):
            return reader(rows.columns[ColumnKey(component: component, field: field)]!)
        case .changes(let component, let field):
            let counts = rows.changeCounts[ColumnKey(component: component, field: field)] ?? [:], ids = rows.ids
            return { Double(counts[ids[$0]] ?? 0) }
        case .negate(let inner):
            let value = number(inner, rows)
            return { -value($0) }
        case .function(let function, let arguments):
            let values = arguments.map { number($0, rows) }
            switch function {
            case .abs: return { Swift.abs(values[0]($0)) }
            case .sqrt: return { values[0]($0).squareRoot() }
            case .min: return { Swift.min(values[0]($0), values[1]($0)) }
            case .max: return { Swift.max(values[0]($0), values[1]($0)) }
            }
        case .binary(let op, let left, let right):
            let a = number(left, rows), b = number(right, rows)
            switch op {
            case .add: return { a($0) + b($0) }
            case .subtract: return { a($0) - b($0) }
            case .multiply: return { a($0) * b($0) }
            default: return { a($0) / b($0) }
            }
        default:
            preconditionFailure("not a number: \(expression)")
        }
    }

    static func text(_ expression: QueryExpression, _ rows: QueryRows) -> Text {
        switch expression {
        case .string(let value): return { _ in value }
        case .field(let component, let field):
            let column = rows.columns[ColumnKey(component: component, field: field)]!
            return { row in if case .string(let value) = column.value(at: row) { return value } else { return "" } }
        default:
            preconditionFailure("not a string: \(expression)")
        }
    }

    /// A fixed-width numeric column read as binary64, straight from its storage.
    static func reader(_ column: Column) -> Number {
        let storage = column.storage
        func load<T>(_ type: T.Type, _ convert: @escaping (T) -> Double) -> Number {
            let width = MemoryLayout<T>.size
            return { row in storage.withUnsafeBytes { convert($0.loadUnaligned(fromByteOffset: row * width, as: T.self)) } }
        }
        switch column.type {
        case .float32: return load(Float.self) { Double($0) }
        case .float64: return load(Double.self) { $0 }
        case .int8: return load(Int8.self) { Double($0) }
        case .int16: return load(Int16.self) { Double($0) }
        case .int32: return load(Int32.self) { Double($0) }
        case .int64: return load(Int64.self) { Double($0) }
        case .uint8: return load(UInt8.self) { Double($0) }
        case .uint16: return load(UInt16.self) { Double($0) }
        case .uint32: return load(UInt32.self) { Double($0) }
        case .uint64: return load(UInt64.self) { Double($0) }
        case .bool: return load(UInt8.self) { Double($0) }
        case .string, .bytes: return { _ in .nan }
        }
    }
}
