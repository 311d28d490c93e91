import PackCodec

/// A row filter typed after `/`: comparisons of a field with a literal,
/// joined by `&&` and `||` (`&&` binds tighter), for example
/// `Health.value < 0` or `Position.x > 10 && Energy.value == 0`.
/// Operators: `<` `<=` `>` `>=` `==` `!=`. Literals: numbers, `true`,
/// `false`, `nan`, or text in double quotes (strings compare by equality
/// or order of their UTF-8 bytes).
public indirect enum FilterExpression: Equatable, Sendable {
    case compare(ColumnKey, Operator, Literal)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)

    public enum Operator: String, Sendable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!=" }

    public enum Literal: Equatable, Sendable {
        case number(Double)
        case bool(Bool)
        case text(String)
    }

    /// Parses an expression. - Throws: ``FilterError`` with the problem.
    public static func parse(_ text: String) throws(FilterError) -> FilterExpression {
        var tokens = try tokenize(text)
        let expression = try parseOr(&tokens)
        guard tokens.isEmpty else { throw FilterError("unexpected \(tokens[0]) in \"\(text)\"") }
        return expression
    }

    private static func parseOr(_ tokens: inout [String]) throws(FilterError) -> FilterExpression {
        var left = try parseAnd(&tokens)
        while tokens.first == "||" {
            tokens.removeFirst()
            left = .or(left, try parseAnd(&tokens))
        }
        return left
    }

    private static func parseAnd(_ tokens: inout [String]) throws(FilterError) -> FilterExpression {
        var left = try parseComparison(&tokens)
        while tokens.first == "&&" {
            tokens.removeFirst()
            left = .and(left, try parseComparison(&tokens))
        }
        return left
    }

    private static func parseComparison(_ tokens: inout [String]) throws(FilterError) -> FilterExpression {
        guard tokens.count >= 3 else { throw FilterError("expected Component.field OP value") }
        let name = tokens.removeFirst(), op = tokens.removeFirst(), value = tokens.removeFirst()
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw FilterError("\(name) is not Component.field") }
        guard let comparison = Operator(rawValue: op) else { throw FilterError("\(op) is not one of < <= > >= == !=") }
        let literal: Literal
        if value.hasPrefix("\"") {
            literal = .text(String(value.dropFirst().dropLast()))
        } else if value == "true" || value == "false" {
            literal = .bool(value == "true")
        } else if let number = Double(value) {
            literal = .number(number)
        } else {
            throw FilterError("\(value) is not a number, true, false or \"text\"")
        }
        return .compare(ColumnKey(component: parts[0], field: parts[1]), comparison, literal)
    }

    private static func tokenize(_ text: String) throws(FilterError) -> [String] {
        var tokens: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == " " { index = text.index(after: index); continue }
            if c == "\"" {
                guard let end = text[text.index(after: index)...].firstIndex(of: "\"") else { throw FilterError("unterminated \"") }
                tokens.append(String(text[index...end]))
                index = text.index(after: end)
                continue
            }
            let two = text[index...].prefix(2)
            if ["&&", "||", "<=", ">=", "==", "!="].contains(String(two)) {
                tokens.append(String(two))
                index = text.index(index, offsetBy: 2)
                continue
            }
            if c == "<" || c == ">" {
                tokens.append(String(c))
                index = text.index(after: index)
                continue
            }
            var end = index
            while end < text.endIndex, !" <>=!&|\"".contains(text[end]) { end = text.index(after: end) }
            guard end > index else { throw FilterError("unexpected \(c)") }
            tokens.append(String(text[index..<end]))
            index = end
        }
        return tokens
    }

    /// The rows of `columns` (named by `keys`) that match, ascending.
    /// - Throws: ``FilterError`` when a named column is not in the table.
    public func matchingRows(keys: [ColumnKey], columns: [Column], count: Int) throws(FilterError) -> [Int] {
        try matchingRowSet(keys: keys, columns: columns, count: count).rows
    }

    /// The rows that match, as a set: each comparison runs over its whole
    /// column in one typed loop, then `&&` and `||` combine the sets.
    public func matchingRowSet(keys: [ColumnKey], columns: [Column], count: Int) throws(FilterError) -> RowSet {
        switch self {
        case let .and(a, b):
            var rows = try a.matchingRowSet(keys: keys, columns: columns, count: count)
            rows.formIntersection(try b.matchingRowSet(keys: keys, columns: columns, count: count))
            return rows
        case let .or(a, b):
            var rows = try a.matchingRowSet(keys: keys, columns: columns, count: count)
            rows.formUnion(try b.matchingRowSet(keys: keys, columns: columns, count: count))
            return rows
        case let .compare(key, op, literal):
            guard let index = keys.firstIndex(of: key) else { throw FilterError("this archetype has no \(key)") }
            let column = columns[index]
            var rows = RowSet(capacity: count)
            let rowCount = min(count, column.count)
            func scan<Value: FixedWidthColumnValue>(_: Value.Type, _ number: Double, _ convert: (Value) -> Double) {
                column.storage.withUnsafeBytes { raw in
                    let values = raw.bindMemory(to: Value.self)
                    for row in 0..<rowCount where Self.holds(Self.order(convert(values[row]), number), op) { rows.insert(row) }
                }
            }
            switch (column.type, literal) {
            case (.float32, .number(let n)): scan(Float.self, n) { Double($0) }
            case (.float64, .number(let n)): scan(Double.self, n) { $0 }
            case (.int32, .number(let n)): scan(Int32.self, n) { Double($0) }
            case (.uint32, .number(let n)): scan(UInt32.self, n) { Double($0) }
            case (.int64, .number(let n)): scan(Int64.self, n) { Double($0) }
            case (.uint64, .number(let n)): scan(UInt64.self, n) { Double($0) }
            default:
                for row in 0..<rowCount where Self.compare(column.value(at: row), op, literal) { rows.insert(row) }
            }
            return rows
        }
    }

    static func compare(_ value: FieldValue, _ op: Operator, _ literal: Literal) -> Bool {
        let ordering: Int?
        switch (value, literal) {
        case let (.float32(v), .number(n)): ordering = order(Double(v), n)
        case let (.float64(v), .number(n)): ordering = order(v, n)
        case let (.int(v), .number(n)): ordering = order(Double(v), n)
        case let (.uint(v), .number(n)): ordering = order(Double(v), n)
        case let (.bool(v), .bool(b)): ordering = v == b ? 0 : (v ? 1 : -1)
        case let (.string(v), .text(t)): ordering = v == t ? 0 : (v.utf8.lexicographicallyPrecedes(t.utf8) ? -1 : 1)
        default: ordering = nil
        }
        return holds(ordering, op)
    }

    /// Whether an ordering (`nil`: unordered, as NaN is) satisfies `op`.
    @inline(__always)
    static func holds(_ ordering: Int?, _ op: Operator) -> Bool {
        guard let ordering else { return op == .notEqual }
        switch op {
        case .less: return ordering < 0
        case .lessOrEqual: return ordering <= 0
        case .greater: return ordering > 0
        case .greaterOrEqual: return ordering >= 0
        case .equal: return ordering == 0
        case .notEqual: return ordering != 0
        }
    }

    /// NaN compares unequal to everything (so only `!=` matches it).
    @inline(__always)
    static func order(_ a: Double, _ b: Double) -> Int? {
        if a.isNaN || b.isNaN { return nil }
        return a < b ? -1 : (a > b ? 1 : 0)
    }
}

/// Why a filter could not be parsed or applied.
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
