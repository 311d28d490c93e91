import PackCodec

/// A row filter typed after `/`: a row expression of the query language
/// (docs/QUERY.md), for example `Health.value < 0`, `Position.x > 10 &&
/// !has(Shield)`, `sqrt(Velocity.vx*Velocity.vx + Velocity.vy*Velocity.vy) > 2`
/// or `id == 265`. Names and types are checked against the checkpoint shown
/// (``check(against:)``) before it is applied; an archetype without a
/// component it reads shows no rows.
public struct FilterExpression: Equatable, Sendable {
    /// The row condition, from the `Timeline` engine.
    public let condition: RowCondition

    /// Parses an expression. - Throws: ``FilterError`` with the problem.
    public static func parse(_ text: String) throws(FilterError) -> FilterExpression {
        do { return FilterExpression(condition: try RowCondition.parse(text)) } catch { throw FilterError(error.message) }
    }

    /// Checks names and types against a checkpoint's schema.
    public func check(against schema: Schema) throws(FilterError) {
        do { try condition.check(against: [schema]) } catch { throw FilterError(error.message) }
    }

    /// Every column the expression reads.
    var columnKeys: [ColumnKey] { condition.fieldsRead }

    /// Whether the expression reads entity ids.
    var readsID: Bool { condition.readsID }

    /// The rows of `columns` (named by `keys`) that match, ascending.
    /// Columns not read may be left empty.
    public func matchingRows(keys: [ColumnKey], columns: [Column], count: Int, ids: [EntityID] = []) throws(FilterError) -> [Int] {
        var byKey: [ColumnKey: Column] = [:]
        for (key, column) in zip(keys, columns) where columnKeys.contains(key) { byKey[key] = column }
        do {
            return try condition.matchingRows(count: count, ids: ids, components: Set(keys.map(\.component)), columns: byKey)
        } catch { throw FilterError(error.message) }
    }

    /// The rows that match, as a set.
    public func matchingRowSet(keys: [ColumnKey], columns: [Column], count: Int, ids: [EntityID] = []) throws(FilterError) -> RowSet {
        var rows = RowSet(capacity: count)
        for row in try matchingRows(keys: keys, columns: columns, count: count, ids: ids) { rows.insert(row) }
        return rows
    }
}

/// Why a filter could not be parsed or applied.
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
