import PackCodec

/// A row expression of the query language (docs/QUERY.md) on its own, as a
/// filter: the debugger's `/`, its watches and its `F` search use it on one
/// archetype's columns at a time.
///
/// ```swift
/// let condition = try RowCondition.parse("Health.value < 0 && !has(Shield)")
/// try condition.check(against: [checkpoint.schema])           // names and types
/// let rows = try condition.matchingRows(count: n, ids: ids, components: names, columns: decoded)
/// ```
public struct RowCondition: Sendable, Equatable {
    /// The parsed expression.
    public let expression: QueryExpression
    /// The text it was parsed from.
    public let text: String

    /// Parses a row expression: no `first tick`, aggregates or clauses, and
    /// no `changed`/`changes` (they look across checkpoints: `tickscope query`).
    public static func parse(_ text: String) throws(QueryError) -> RowCondition {
        let query = try Query.parseFilter(text)
        guard case .rows(let expression) = query.form, query.branch == nil, query.ticks == nil, query.at == nil else {
            throw QueryError("a filter is a row expression such as Health.value < 0, without first tick, count, during, at or on (tickscope query takes those)")
        }
        guard !expression.countsChanges, !expression.readsChanged else {
            throw QueryError("changed and changes look across checkpoints: use tickscope query, or d and n here")
        }
        return RowCondition(expression: expression, text: text)
    }

    /// Checks names and types against the fields of `schemas`: an unknown
    /// name (with a suggestion) or a type mismatch is an error.
    public func check(against schemas: [Schema]) throws(QueryError) {
        let type = try QueryChecker(schemas: schemas).check(expression)
        guard type == .bool else { throw QueryError("a filter must be true/false, but \(expression) is \(type.noun); compare it (\(expression) > 0)") }
    }

    /// The fields it reads, in order of first appearance.
    public var fieldsRead: [ColumnKey] { expression.fieldsRead }

    /// The components named in `has(...)`.
    var componentsTested: Set<String> {
        Set(expression.nodes.compactMap { if case .has(let component) = $0 { component } else { nil } })
    }

    /// Whether it reads entity ids (`id`).
    public var readsID: Bool { expression.nodes.contains(.id) }

    /// Whether some row of a stored archetype may match, judged from its
    /// blocks' statistics alone, without reading them (docs/QUERY.md,
    /// "Statistics"): `false` means none can.
    public func mayMatch(_ archetype: StoredArchetype) -> Bool {
        StatisticsPruning.mayHold(expression, in: archetype)
    }

    /// The rows of one archetype where the condition holds, ascending. An
    /// archetype without a component the condition reads has none.
    /// - Parameters:
    ///   - ids: the entity ids (needed only when it reads `id`).
    ///   - components: the archetype's component names.
    ///   - columns: at least the columns it reads, by field.
    /// - Throws: ``QueryError`` when a column's type does not fit the expression.
    public func matchingRows(count: Int, ids: [EntityID], components: Set<String>, columns: [ColumnKey: Column]) throws(QueryError) -> [Int] {
        guard expression.componentsRequired.isSubset(of: components) else { return [] }
        // The types of this archetype's columns; `has` may name any component (it is false here when absent).
        let schema = Schema(components: components.union(componentsTested).sorted().map { name in
            ComponentType(name: name, fields: columns.filter { $0.key.component == name }.sorted { $0.key.field < $1.key.field }.map { Field($0.key.field, $0.value.type) })
        })
        try check(against: [schema])
        for key in fieldsRead where (columns[key]?.count ?? -1) < count {
            throw QueryError("\(key): \(columns[key]?.count ?? 0) values for \(count) rows")
        }
        guard !readsID || ids.count >= count else { throw QueryError("id: \(ids.count) ids for \(count) rows") }
        let test = QueryProgram.condition(expression, QueryRows(ids: ids, components: components, columns: columns))
        return (0..<count).filter(test)
    }
}
