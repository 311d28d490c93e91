import PackCodec

/// The type of a value in a query.
enum QueryType: Equatable {
    case bool, number, string

    var noun: String {
        switch self {
        case .bool: "true/false"
        case .number: "a number"
        case .string: "a string"
        }
    }
}

/// Checks a query's names and types against the fields the checkpoints in
/// range have, before anything runs: unknown names get a suggestion, and
/// mismatched types are named ("Health.value is f32; it cannot be compared
/// with a string").
struct QueryChecker {
    /// Every `Component.field` with its type.
    let fields: [ColumnKey: FieldType]
    let components: Set<String>

    init(schemas: [Schema]) throws(QueryError) {
        var fields: [ColumnKey: FieldType] = [:]
        var components = Set<String>()
        for schema in schemas {
            for component in schema.components {
                components.insert(component.name)
                for field in component.fields {
                    let key = ColumnKey(component: component.name, field: field.name)
                    if let known = fields[key], known != field.type {
                        throw QueryError("\(key) is \(known) in some checkpoints and \(field.type) in others; query a range where it has one type")
                    }
                    fields[key] = field.type
                }
            }
        }
        self.fields = fields
        self.components = components
    }

    /// The closest known name to `name`, for "did you mean".
    private func suggestion(for name: String, among names: [String]) -> String {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var previous = row[0]
                row[0] = i + 1
                for (j, y) in b.enumerated() {
                    let current = row[j + 1]
                    row[j + 1] = Swift.min(row[j + 1] + 1, row[j] + 1, previous + (x.lowercased() == y.lowercased() ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let best = names.min { distance(Array(name), Array($0)) < distance(Array(name), Array($1)) }
        return best.map { "; did you mean \($0)?" } ?? "; the recording has no fields"
    }

    /// The type of a field, or an error with a suggestion.
    func fieldType(_ component: String, _ field: String) throws(QueryError) -> FieldType {
        let key = ColumnKey(component: component, field: field)
        if let type = fields[key] {
            guard type != .bytes else { throw QueryError("\(key) holds bytes, which a query cannot compare") }
            return type
        }
        let names = fields.keys.map(\.description).sorted()
        if components.contains(component) {
            throw QueryError("\(component) has no field \(field)" + suggestion(for: key.description, among: names))
        }
        throw QueryError("no component \(component)" + suggestion(for: key.description, among: names))
    }

    static func valueType(of type: FieldType) -> QueryType {
        switch type {
        case .bool: .bool
        case .string, .bytes: .string
        default: .number
        }
    }

    /// How to name an expression in a message: a field by its name and type.
    private func subject(_ expression: QueryExpression, _ type: QueryType) -> String {
        if case .field(let component, let field) = expression, let stored = fields[ColumnKey(component: component, field: field)] {
            return "\(component).\(field) is \(stored)"
        }
        return "\(expression) is \(type.noun)"
    }

    /// The expression's type; every name in it known and every operation
    /// applied to the types it takes.
    func check(_ expression: QueryExpression) throws(QueryError) -> QueryType {
        switch expression {
        case .number: return .number
        case .string: return .string
        case .bool: return .bool
        case .id: return .number
        case .field(let component, let field): return Self.valueType(of: try fieldType(component, field))
        case .has(let component):
            guard components.contains(component) else {
                throw QueryError("no component \(component)" + suggestion(for: component, among: components.sorted()))
            }
            return .bool
        case .changed(let component, let field):
            _ = try fieldType(component, field)
            return .bool
        case .changes(let component, let field):
            _ = try fieldType(component, field)
            return .number
        case .negate(let inner):
            let type = try check(inner)
            guard type == .number else { throw QueryError("\(subject(inner, type)); - needs a number") }
            return .number
        case .not(let inner):
            let type = try check(inner)
            guard type == .bool else { throw QueryError("\(subject(inner, type)), not true/false; ! needs a condition") }
            return .bool
        case .function(let function, let arguments):
            for argument in arguments {
                let type = try check(argument)
                guard type == .number else { throw QueryError("\(subject(argument, type)); \(function.rawValue) needs numbers") }
            }
            return .number
        case .binary(let op, let left, let right):
            let a = try check(left), b = try check(right)
            switch op {
            case .and, .or:
                for (side, type) in [(left, a), (right, b)] where type != .bool {
                    throw QueryError("\(subject(side, type)), not true/false; compare it (for example \(side) > 0) before \(op.rawValue)")
                }
                return .bool
            case .add, .subtract, .multiply, .divide:
                for (side, type) in [(left, a), (right, b)] where type != .number {
                    throw QueryError("\(subject(side, type)); \(op.rawValue) needs numbers")
                }
                return .number
            default:
                guard a == b else {
                    let (field, other) = Self.isField(left) || !Self.isField(right) ? ((left, a), b) : ((right, b), a)
                    throw QueryError("\(subject(field.0, field.1)); it cannot be compared with \(other.noun)")
                }
                if a == .bool, op != .equal, op != .notEqual { throw QueryError("true/false values compare only with == and !=") }
                return .bool
            }
        }
    }

    private static func isField(_ expression: QueryExpression) -> Bool {
        if case .field = expression { return true }
        return false
    }
}

extension QueryExpression: CustomStringConvertible {
    /// The expression written back as text (parenthesised where needed).
    public var description: String {
        switch self {
        case .number(_, let text): text
        case .string(let text): "\"\(text)\""
        case .bool(let value): value ? "true" : "false"
        case .id: "id"
        case .field(let component, let field): "\(component).\(field)"
        case .has(let component): "has(\(component))"
        case .changed(let component, let field): "changed(\(component).\(field))"
        case .changes(let component, let field): "changes(\(component).\(field))"
        case .negate(let inner): "-\(inner.parenthesised)"
        case .not(let inner): "!\(inner.parenthesised)"
        case .function(let function, let arguments): "\(function.rawValue)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .binary(let op, let left, let right): "\(left.parenthesised) \(op.rawValue) \(right.parenthesised)"
        }
    }

    private var parenthesised: String {
        if case .binary = self { return "(\(description))" }
        return description
    }

    /// The expression and every expression inside it, depth first, left to right.
    var nodes: [QueryExpression] {
        switch self {
        case .negate(let inner), .not(let inner): [self] + inner.nodes
        case .binary(_, let left, let right): [self] + left.nodes + right.nodes
        case .function(_, let arguments): [self] + arguments.flatMap(\.nodes)
        default: [self]
        }
    }

    /// The fields the expression reads, in order of first appearance (the values a result row shows).
    var fieldsRead: [ColumnKey] {
        var seen: [ColumnKey] = []
        for node in nodes {
            switch node {
            case .field(let c, let f), .changed(let c, let f), .changes(let c, let f):
                let key = ColumnKey(component: c, field: f)
                if !seen.contains(key) { seen.append(key) }
            default: break
            }
        }
        return seen
    }

    /// The components a row must have for the expression to be evaluated
    /// (every one it reads, except inside `has`).
    var componentsRequired: Set<String> { Set(fieldsRead.map(\.component)) }

    /// Whether `changes(...)` appears.
    var countsChanges: Bool { nodes.contains { if case .changes = $0 { true } else { false } } }

    /// Whether `changed(...)` appears.
    var readsChanged: Bool { nodes.contains { if case .changed = $0 { true } else { false } } }

    /// The fields counted by `changes(...)`.
    var fieldsCounted: [ColumnKey] {
        nodes.compactMap { if case .changes(let c, let f) = $0 { ColumnKey(component: c, field: f) } else { nil } }
    }
}
