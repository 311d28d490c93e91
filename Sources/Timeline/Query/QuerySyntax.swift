/// The syntax of the query language (docs/QUERY.md): what the parser makes
/// of the text, before any name or type is checked.
public indirect enum QueryExpression: Equatable, Sendable {
    case number(Double, text: String)
    case string(String)
    case bool(Bool)
    case id
    case field(component: String, field: String)
    case has(component: String)
    /// `changed(C.f)`: the value differs from the previous checkpoint's.
    case changed(component: String, field: String)
    /// `changes(C.f)`: how many times the value changed over the range.
    case changes(component: String, field: String)
    case negate(QueryExpression)
    case not(QueryExpression)
    case binary(QueryOperator, QueryExpression, QueryExpression)
    case function(QueryFunction, [QueryExpression])
}

/// The binary operators, loosest first: `||`, `&&`, comparisons, `+ -`, `* /`.
public enum QueryOperator: String, Sendable, CaseIterable {
    case or = "||", and = "&&"
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    var isComparison: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(self) }
    var isArithmetic: Bool { [.add, .subtract, .multiply, .divide].contains(self) }
}

/// Functions of a row: `abs(x)`, `sqrt(x)`, `min(x, y)`, `max(x, y)`.
public enum QueryFunction: String, Sendable {
    case abs, sqrt, min, max

    var arity: Int { self == .abs || self == .sqrt ? 1 : 2 }
}

/// What a query asks for (docs/QUERY.md, "Queries").
public enum QueryForm: Equatable, Sendable {
    /// The rows where the expression holds, at every checkpoint in range.
    case rows(QueryExpression)
    /// The first (or last) checkpoint in range where any row matches, and its matching rows.
    case firstTick(QueryExpression), lastTick(QueryExpression)
    /// One value per checkpoint in range: `count(EXPR)`, or `min|max|mean|sum(EXPR) where EXPR`.
    case aggregate(QueryAggregate, QueryExpression, where: QueryExpression?)
    /// `distribution(EXPR) [where EXPR]`: per checkpoint, how the values
    /// are spread (count, NaNs, minimum, quartiles, maximum, mean).
    case distribution(QueryExpression, where: QueryExpression?)
}

/// The aggregates that make a series.
public enum QueryAggregate: String, Sendable { case count, min, max, mean, sum }

/// A whole query: what it asks and over which checkpoints.
public struct Query: Equatable, Sendable {
    public var form: QueryForm
    /// `on BRANCH`; the main branch (or the only one) when `nil`.
    public var branch: String?
    /// `during A..B`: ticks from A through B.
    public var ticks: ClosedRange<UInt64>?
    /// `at c12` (or any checkpoint reference: a tick, `branch@tick`).
    public var at: String?
    /// The text it was parsed from.
    public var text: String
}

/// A query that cannot be parsed, checked or run: the message says what
/// and where (the column, counted from 1, for syntax errors).
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
