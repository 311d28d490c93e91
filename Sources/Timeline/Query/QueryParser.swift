/// Turns query text into a ``Query`` (the grammar is in docs/QUERY.md).
struct QueryParser {
    enum Token: Equatable {
        case number(Double, String), string(String), name(String), symbol(String), end
    }

    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    private let text: String
    /// What may follow a row expression, for the error when something
    /// else does (a filter says how conditions join; a query, its clauses).
    private let afterExpression: String

    init(_ text: String, afterExpression: String = "a query ends with during A..B, at CHECKPOINT or on BRANCH") throws(QueryError) {
        self.text = text
        self.afterExpression = afterExpression
        tokens = try Self.tokenize(text)
    }

    private var current: Token { tokens[position].token }
    private var column: Int { tokens[position].column }

    private func failure(_ message: String) -> QueryError { QueryError("column \(column): \(message)") }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func take(_ symbol: String) -> Bool {
        guard current == .symbol(symbol) || current == .name(symbol) else { return false }
        advance()
        return true
    }

    private mutating func expect(_ symbol: String) throws(QueryError) {
        guard take(symbol) else { throw failure("expected \(symbol), found \(Self.describe(current))") }
    }

    static func describe(_ token: Token) -> String {
        switch token {
        case .number(_, let text): text
        case .string(let text): "\"\(text)\""
        case .name(let name): name
        case .symbol(let symbol): symbol
        case .end: "the end"
        }
    }

    // MARK: Queries

    mutating func parseQuery() throws(QueryError) -> Query {
        let form: QueryForm
        if case .name(let word) = current, word == "first" || word == "last" {
            advance()
            try expect("tick")
            try expect("where")
            let condition = try parseExpression()
            form = word == "first" ? .firstTick(condition) : .lastTick(condition)
        } else if let aggregate = try parseAggregate() {
            form = aggregate
        } else {
            form = .rows(try parseExpression())
        }
        var query = Query(form: form, branch: nil, ticks: nil, at: nil, text: text)
        while current != .end {
            if take("during") {
                let from = try parseTick(), dots = column
                guard take("..") else { throw QueryError("column \(dots): expected .. in during A..B") }
                let to = try parseTick()
                guard from <= to else { throw QueryError("column \(dots): during \(from)..\(to) is empty") }
                query.ticks = from...to
            } else if take("at") {
                guard case .name(let reference) = current else { throw failure("expected a checkpoint after at (c12, a tick, branch@tick)") }
                query.at = reference
                advance()
            } else if take("on") {
                guard case .name(let name) = current else { throw failure("expected a branch name after on") }
                query.branch = name
                advance()
            } else {
                throw failure("unexpected \(Self.describe(current)); \(afterExpression)")
            }
        }
        return query
    }

    private mutating func parseTick() throws(QueryError) -> UInt64 {
        guard case .number(_, let digits) = current, let tick = UInt64(digits) else { throw failure("expected a tick (a whole number)") }
        advance()
        return tick
    }

    /// `count(EXPR)` or `min|max|mean|sum(EXPR) [where EXPR]` at the start of a query;
    /// `nil` (and nothing consumed) for a row expression such as `min(a, b) > 0`.
    private mutating func parseAggregate() throws(QueryError) -> QueryForm? {
        if case .name("distribution") = current, tokens[position + 1].token == .symbol("(") {
            advance()
            advance()
            let argument = try parseExpression()
            guard take(")") else { throw failure("expected ) after the argument of distribution") }
            guard current == .end || [Token.name("where"), .name("during"), .name("at"), .name("on")].contains(current) else {
                throw failure("distribution(...) is a whole query: it can be followed only by where, during, at or on")
            }
            return .distribution(argument, where: take("where") ? try parseExpression() : nil)
        }
        guard case .name(let word) = current, let aggregate = QueryAggregate(rawValue: word),
            tokens[position + 1].token == .symbol("(") else { return nil }
        let start = position
        advance()
        advance()
        let argument = try parseExpression()
        guard take(")") else {
            // `min(a, b)` and `max(a, b)` are functions of a row.
            position = start
            guard aggregate == .min || aggregate == .max else { throw failure("expected ) after the argument of \(word)") }
            return nil
        }
        let endsHere = current == .end || [Token.name("where"), .name("during"), .name("at"), .name("on")].contains(current)
        guard endsHere else {
            position = start
            if aggregate == .min || aggregate == .max { return nil }
            throw failure("\(word)(...) is a whole query: it can be followed only by where, during, at or on")
        }
        let condition: QueryExpression? = take("where") ? try parseExpression() : nil
        if aggregate == .count, condition != nil { throw failure("count takes its condition inside: count(EXPR)") }
        return .aggregate(aggregate, argument, where: condition)
    }

    // MARK: Expressions, loosest first

    mutating func parseExpression() throws(QueryError) -> QueryExpression { try parseOr() }

    private mutating func parseOr() throws(QueryError) -> QueryExpression {
        var left = try parseAnd()
        while take("||") || take("or") { left = .binary(.or, left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(QueryError) -> QueryExpression {
        var left = try parseNot()
        while take("&&") || take("and") { left = .binary(.and, left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(QueryError) -> QueryExpression {
        if take("!") || take("not") { return .not(try parseNot()) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(QueryError) -> QueryExpression {
        let left = try parseSum()
        for op in [QueryOperator.lessOrEqual, .greaterOrEqual, .equal, .notEqual, .less, .greater] where take(op.rawValue) {
            let right = try parseSum()
            if case .symbol(let next) = current, ["<", "<=", ">", ">=", "==", "!="].contains(next) {
                throw failure("comparisons do not chain; join them with && (a < b && b < c)")
            }
            return .binary(op, left, right)
        }
        return left
    }

    private mutating func parseSum() throws(QueryError) -> QueryExpression {
        var left = try parseProduct()
        while true {
            if take("+") { left = .binary(.add, left, try parseProduct()) } else if take("-") { left = .binary(.subtract, left, try parseProduct()) } else { return left }
        }
    }

    private mutating func parseProduct() throws(QueryError) -> QueryExpression {
        var left = try parseUnary()
        while true {
            if take("*") { left = .binary(.multiply, left, try parseUnary()) } else if take("/") { left = .binary(.divide, left, try parseUnary()) } else { return left }
        }
    }

    private mutating func parseUnary() throws(QueryError) -> QueryExpression {
        if take("-") { return .negate(try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(QueryError) -> QueryExpression {
        switch current {
        case .number(let value, let text):
            advance()
            return .number(value, text: text)
        case .string(let text):
            advance()
            return .string(text)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expect(")")
            return inner
        case .name(let name):
            advance()
            switch name {
            case "true", "false": return .bool(name == "true")
            case "nan": return .number(.nan, text: "nan")
            case "inf": return .number(.infinity, text: "inf")
            case "id": return .id
            case "has":
                try expect("(")
                guard case .name(let component) = current, !component.contains(".") else { throw failure("has takes a component name: has(Health)") }
                advance()
                try expect(")")
                return .has(component: component)
            case "changed", "changes":
                try expect("(")
                let (component, field) = try parseFieldName()
                try expect(")")
                return name == "changed" ? .changed(component: component, field: field) : .changes(component: component, field: field)
            default:
                if let function = QueryFunction(rawValue: name), current == .symbol("(") {
                    advance()
                    var arguments = [try parseExpression()]
                    while take(",") { arguments.append(try parseExpression()) }
                    try expect(")")
                    guard arguments.count == function.arity else {
                        throw failure("\(name) takes \(function.arity) argument\(function.arity == 1 ? "" : "s"), not \(arguments.count)")
                    }
                    return .function(function, arguments)
                }
                let parts = name.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw QueryError("column \(tokens[position - 1].column): \(name) is not Component.field, id, a number or a function")
                }
                return .field(component: String(parts[0]), field: String(parts[1]))
            }
        default:
            throw failure("expected a value, a field or (, found \(Self.describe(current))")
        }
    }

    private mutating func parseFieldName() throws(QueryError) -> (String, String) {
        guard case .name(let name) = current else { throw failure("expected Component.field") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw failure("\(name) is not Component.field") }
        advance()
        return (String(parts[0]), String(parts[1]))
    }

    // MARK: Tokens

    static func tokenize(_ text: String) throws(QueryError) -> [(token: Token, column: Int)] {
        var tokens: [(token: Token, column: Int)] = []
        let characters = Array(text)
        var index = 0
        func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
        while index < characters.count {
            let c = characters[index], column = index + 1
            if c.isWhitespace { index += 1; continue }
            // After `on` and `at` comes a branch or checkpoint, taken whole: fork-99, main@120, c12, 120.
            if let last = tokens.last?.token, last == .name("on") || last == .name("at") {
                var end = index
                while end < characters.count, !characters[end].isWhitespace { end += 1 }
                tokens.append((.name(String(characters[index..<end])), column))
                index = end
                continue
            }
            if c == "\"" {
                var end = index + 1, value = ""
                while end < characters.count, characters[end] != "\"" {
                    if characters[end] == "\\", end + 1 < characters.count { end += 1 }
                    value.append(characters[end])
                    end += 1
                }
                guard end < characters.count else { throw QueryError("column \(column): the string is not closed with \"") }
                tokens.append((.string(value), column))
                index = end + 1
                continue
            }
            if c.isNumber || (c == "." && index + 1 < characters.count && characters[index + 1].isNumber) {
                var end = index
                while end < characters.count, characters[end].isNumber || characters[end] == "." || characters[end] == "e" || characters[end] == "E"
                        || ((characters[end] == "-" || characters[end] == "+") && end > index && (characters[end - 1] == "e" || characters[end - 1] == "E")) {
                    // `1..5` is a range: stop before the two dots.
                    if characters[end] == ".", end + 1 < characters.count, characters[end + 1] == "." { break }
                    end += 1
                }
                let literal = String(characters[index..<end])
                // A checkpoint reference such as 12 or a name like 3d is not a number here.
                guard let value = Double(literal) else { throw QueryError("column \(column): \(literal) is not a number") }
                tokens.append((.number(value, literal), column))
                index = end
                continue
            }
            if isNameStart(c) {
                var end = index
                while end < characters.count, isNamePart(characters[end]) { end += 1 }
                // A trailing dot belongs to no name (`Health.` is an error below).
                tokens.append((.name(String(characters[index..<end])), column))
                index = end
                continue
            }
            let two = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
            if ["&&", "||", "<=", ">=", "==", "!=", ".."].contains(two) {
                tokens.append((.symbol(two), column))
                index += 2
                continue
            }
            if "<>()+-*/!,".contains(c) {
                tokens.append((.symbol(String(c)), column))
                index += 1
                continue
            }
            if c == "=" { throw QueryError("column \(column): = is not an operator; compare with ==") }
            if c == "&" || c == "|" { throw QueryError("column \(column): use \(c)\(c)") }
            throw QueryError("column \(column): unexpected \(c)")
        }
        tokens.append((.end, characters.count + 1))
        return tokens
    }
}

extension Query {
    /// Parses a query (docs/QUERY.md).
    /// - Throws: ``QueryError`` naming the column where the text goes wrong.
    public static func parse(_ text: String) throws(QueryError) -> Query {
        var parser = try QueryParser(text)
        return try parser.parseQuery()
    }

    /// Parses a filter's text as a query, so that query forms and clauses
    /// can be named as what a filter cannot have; anything else after the
    /// expression is reported as a missing `&&` or `||`.
    static func parseFilter(_ text: String) throws(QueryError) -> Query {
        var parser = try QueryParser(text, afterExpression: "join conditions with && or || (and, or)")
        return try parser.parseQuery()
    }
}
