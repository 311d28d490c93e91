import PackCodec

/// One row of a query's result: where (branch, checkpoint, tick), which
/// entity (none for an aggregate), and the named values.
public struct QueryRow: Sendable, Equatable {
    public var branch: String
    public var checkpoint: CheckpointID
    public var tick: UInt64
    public var entity: EntityID?
    /// The values, in the order of ``QueryResult/valueNames``.
    public var values: [QueryValue]
}

/// A value in a result: a field's stored value, or a computed number.
public enum QueryValue: Sendable, Equatable, CustomStringConvertible {
    case field(FieldValue)
    case number(Double)
    case count(Int)

    public var description: String {
        switch self {
        case .field(let value): value.description
        case .number(let value): value.description
        case .count(let value): String(value)
        }
    }
}

/// What a query found.
public struct QueryResult: Sendable, Equatable {
    /// The names of the values of every row (`Health.value`, `count(...)`).
    public var valueNames: [String]
    public var rows: [QueryRow]
    /// Whether rows were left out at the limit.
    public var isTruncated: Bool
    /// How many checkpoints were read.
    public var checkpointsRead: Int
    /// Archetypes the block statistics showed could not match, passed over
    /// without reading any of their blocks.
    public var archetypesPassedOver = 0
    /// For a `distribution(...)` query, each row's distribution (for a
    /// histogram); empty otherwise.
    public var distributions: [Distribution] = []
}

extension CheckpointStore {
    /// Runs a query (docs/QUERY.md) over this store's timeline.
    ///
    /// ```swift
    /// let result = try store.run(try Query.parse("first tick where Health.value < 0"))
    /// print(result.rows.first?.tick, result.rows.first?.entity)   // 100, #265
    /// ```
    /// - Parameter limit: the most rows kept (row queries stop reading
    ///   checkpoints once they have this many); all when `nil`.
    /// - Throws: ``QueryError`` for an unknown name, a type mismatch, a
    ///   branch or checkpoint that does not exist, or a block that cannot be read.
    public func run(_ query: Query, limit: Int? = nil) throws(QueryError) -> QueryResult {
        var runner = try QueryRunner(store: self, query: query)
        return try runner.run(limit: limit)
    }
}

/// Runs one query over the checkpoints in its range, archetype by archetype,
/// decoding only the columns it reads.
struct QueryRunner {
    let store: CheckpointStore
    let query: Query
    let branch: String
    let checkpoints: [Checkpoint]
    let checker: QueryChecker

    init(store: CheckpointStore, query: Query) throws(QueryError) {
        self.store = store
        self.query = query
        let names = store.branches.map(\.name)
        let branch = query.branch ?? (names.contains(CheckpointStore.mainBranch) || names.isEmpty ? CheckpointStore.mainBranch : names[0])
        guard names.contains(branch) else {
            throw QueryError("no branch \(branch)" + (names.isEmpty ? "" : " (branches: \(names.joined(separator: ", ")))"))
        }
        self.branch = branch
        var checkpoints: [Checkpoint]
        do {
            if let at = query.at {
                checkpoints = [try store.resolve(at, onBranch: branch)]
            } else {
                checkpoints = try store.timeline(of: branch)
            }
        } catch { throw QueryError(error.description) }
        if let ticks = query.ticks { checkpoints = checkpoints.filter { ticks.contains($0.tick) } }
        guard !checkpoints.isEmpty else { throw QueryError("no checkpoint of \(branch) in range" + (query.ticks.map { " \($0.lowerBound)..\($0.upperBound)" } ?? "")) }
        self.checkpoints = checkpoints
        checker = try QueryChecker(schemas: checkpoints.map(\.schema))
        try check()
    }

    /// Checks the form's expressions and their types.
    private func check() throws(QueryError) {
        func require(_ expression: QueryExpression, _ type: QueryType, _ role: String) throws(QueryError) {
            let found = try checker.check(expression)
            guard found == type else { throw QueryError("\(role) must be \(type.noun), but \(expression) is \(found.noun)") }
        }
        switch query.form {
        case .rows(let condition):
            try require(condition, .bool, "a row query")
        case .firstTick(let condition), .lastTick(let condition):
            guard !condition.countsChanges else { throw QueryError("changes(...) counts over the whole range; use it in a row query (changes(Health.value) > 5)") }
            try require(condition, .bool, "the condition after where")
        case .aggregate(let aggregate, let argument, let condition):
            guard !argument.countsChanges, condition?.countsChanges != true else { throw QueryError("changes(...) counts over the whole range; use it in a row query") }
            if aggregate == .count { try require(argument, .bool, "count's argument") } else { try require(argument, .number, "\(aggregate.rawValue)'s argument") }
            if let condition { try require(condition, .bool, "the condition after where") }
        case .distribution(let argument, let condition):
            guard !argument.countsChanges, condition?.countsChanges != true else { throw QueryError("changes(...) counts over the whole range; use it in a row query") }
            try require(argument, .number, "distribution's argument")
            if let condition { try require(condition, .bool, "the condition after where") }
        }
    }

    mutating func run(limit: Int?) throws(QueryError) -> QueryResult {
        switch query.form {
        case .rows(let condition):
            if condition.countsChanges { return try runChanges(condition, limit: limit) }
            return try runRows(condition, over: checkpoints, limit: limit, stopAtFirst: false)
        case .firstTick(let condition):
            return try runRows(condition, over: checkpoints, limit: limit, stopAtFirst: true)
        case .lastTick(let condition):
            return try runRows(condition, over: checkpoints.reversed(), limit: limit, stopAtFirst: true)
        case .aggregate(let aggregate, let argument, let condition):
            return try runAggregate(aggregate, argument, condition)
        case .distribution(let argument, let condition):
            return try runDistribution(argument, condition)
        }
    }

    /// The rows of each archetype of a checkpoint that can evaluate `expression`, with what it reads decoded.
    /// - Parameters:
    ///   - skipping: fingerprints of archetypes already evaluated with no
    ///     match; archetypes with one of them are not decoded again.
    ///   - onlyWhere: a condition every row that counts must satisfy:
    ///     archetypes whose block statistics rule it out are not read, and
    ///     `passedOver` counts them.
    private func rows(of checkpoint: Checkpoint, for expression: QueryExpression, previous: Checkpoint?,
                      skipping: Set<RowsFingerprint> = [], onlyWhere: QueryExpression? = nil, passedOver: inout Int) throws(QueryError) -> [QueryRows] {
        let required = expression.componentsRequired
        let keys = expression.fieldsRead
        var result: [QueryRows] = []
        do throws(TimelineError) {
            for stored in checkpoint.archetypes {
                let names = Set(stored.components.map(\.name))
                guard required.isSubset(of: names) else { continue }
                if let onlyWhere, !StatisticsPruning.mayHold(onlyWhere, in: stored) {
                    passedOver += 1
                    continue
                }
                let fingerprint = RowsFingerprint(
                    components: stored.signature, ids: stored.entities.contentHash,
                    columns: keys.map { key in stored.columnIndex(key.component, key.field).map { stored.columns[$0].contentHash } })
                if skipping.contains(fingerprint) { continue }
                let ids = try store.entities(stored.entities, label: "entity ids of \(checkpoint.id)")
                var columns: [ColumnKey: Column] = [:]
                for key in keys {
                    guard let index = stored.columnIndex(key.component, key.field) else { continue }
                    columns[key] = try store.column(stored.columns[index], label: "\(key) of \(checkpoint.id)")
                }
                result.append(QueryRows(ids: ids, components: names, columns: columns, fingerprint: fingerprint))
            }
            if expression.readsChanged, let previous {
                let before = try values(of: keys, at: previous)
                for index in result.indices { result[index].previous = before }
            }
        } catch { throw QueryError(error.description) }
        return result
    }

    /// Every entity's value of each of `keys` at a checkpoint, by id (what `changed` compares with).
    private func values(of keys: [ColumnKey], at checkpoint: Checkpoint) throws(TimelineError) -> [ColumnKey: [EntityID: FieldValue]] {
        var values: [ColumnKey: [EntityID: FieldValue]] = [:]
        for stored in checkpoint.archetypes {
            let indices = keys.compactMap { key in stored.columnIndex(key.component, key.field).map { (key, $0) } }
            guard !indices.isEmpty else { continue }
            let ids = try store.entities(stored.entities, label: "entity ids of \(checkpoint.id)")
            for (key, index) in indices {
                let column = try store.column(stored.columns[index], label: "\(key) of \(checkpoint.id)")
                for (row, id) in ids.enumerated() { values[key, default: [:]][id] = column.value(at: row) }
            }
        }
        return values
    }

    /// Lets the store's cache hold only blocks of the checkpoint before
    /// `checkpoint` (on the timeline, its parent): the deltas of the next
    /// one apply onto them, and a scan's memory stays about one checkpoint's
    /// read columns instead of the cache's worth.
    private func keepDecoded(_ checkpoint: Checkpoint) {
        guard let previous = before(checkpoint) else { return }
        store.blocks.keepCachedBlocks(previous.archetypes.flatMap { [$0.entities] + $0.columns })
    }

    /// The checkpoint before `checkpoint` on the timeline (its parent).
    private func before(_ checkpoint: Checkpoint) -> Checkpoint? { checkpoint.parent.flatMap { store.checkpoint($0) } }

    private func fieldValues(_ keys: [ColumnKey], _ rows: QueryRows, _ row: Int) -> [QueryValue] {
        keys.map { key in rows.columns[key].map { .field($0.value(at: row)) } ?? .field(.string("")) }
    }

    private func runRows(_ condition: QueryExpression, over checkpoints: [Checkpoint], limit: Int?, stopAtFirst: Bool) throws(QueryError) -> QueryResult {
        let keys = condition.fieldsRead
        var result = QueryResult(valueNames: keys.map(\.description), rows: [], isTruncated: false, checkpointsRead: 0)
        // An archetype whose read blocks equal one that matched nothing cannot match: it is not decoded again
        // (unless changed() makes the answer depend on the checkpoint before).
        var noMatch = Set<RowsFingerprint>()
        for checkpoint in checkpoints {
            keepDecoded(checkpoint)
            result.checkpointsRead += 1
            var matched = false
            for rows in try rows(of: checkpoint, for: condition, previous: condition.readsChanged ? before(checkpoint) : nil,
                                 skipping: condition.readsChanged ? [] : noMatch, onlyWhere: condition, passedOver: &result.archetypesPassedOver) {
                let test = QueryProgram.condition(condition, rows)
                var any = false
                defer { if !any, let fingerprint = rows.fingerprint { noMatch.insert(fingerprint) } }
                for row in rows.ids.indices where test(row) {
                    any = true
                    matched = true
                    if let limit, result.rows.count >= limit {
                        result.isTruncated = true
                        return result
                    }
                    result.rows.append(QueryRow(branch: branch, checkpoint: checkpoint.id, tick: checkpoint.tick, entity: rows.ids[row],
                                                values: fieldValues(keys, rows, row)))
                }
            }
            if stopAtFirst, matched { break }
        }
        return result
    }

    /// `changes(C.f)` in a row query: each entity's changes over the range
    /// are counted, then the expression is evaluated at the range's last checkpoint.
    private func runChanges(_ condition: QueryExpression, limit: Int?) throws(QueryError) -> QueryResult {
        let counted = condition.fieldsCounted
        var counts: [ColumnKey: [EntityID: Int]] = [:]
        do throws(TimelineError) {
            var previous = try checkpoints.first.flatMap(before).map { checkpoint throws(TimelineError) in try values(of: counted, at: checkpoint) }
            for checkpoint in checkpoints {
                keepDecoded(checkpoint)
                let now = try values(of: counted, at: checkpoint)
                if let previous {
                    for (key, entities) in now {
                        for (id, value) in entities where previous[key]?[id].map({ $0 != value }) == true { counts[key, default: [:]][id, default: 0] += 1 }
                    }
                }
                previous = now
            }
        } catch { throw QueryError(error.description) }
        let last = checkpoints[checkpoints.count - 1]
        let keys = condition.fieldsRead
        var result = QueryResult(valueNames: keys.map { counted.contains($0) ? "changes(\($0))" : $0.description }, rows: [], isTruncated: false,
                                 checkpointsRead: checkpoints.count)
        let found = try rows(of: last, for: condition, previous: condition.readsChanged ? before(last) : nil,
                             onlyWhere: condition, passedOver: &result.archetypesPassedOver)
        for var rows in found {
            rows.changeCounts = counts
            let test = QueryProgram.condition(condition, rows)
            for row in rows.ids.indices where test(row) {
                if let limit, result.rows.count >= limit {
                    result.isTruncated = true
                    return result
                }
                let values: [QueryValue] = keys.map { key in
                    counted.contains(key) ? .count(counts[key]?[rows.ids[row]] ?? 0) : (rows.columns[key].map { .field($0.value(at: row)) } ?? .count(0))
                }
                result.rows.append(QueryRow(branch: branch, checkpoint: last.id, tick: last.tick, entity: rows.ids[row], values: values))
            }
        }
        return result
    }

    private func runAggregate(_ aggregate: QueryAggregate, _ argument: QueryExpression, _ condition: QueryExpression?) throws(QueryError) -> QueryResult {
        let name = "\(aggregate.rawValue)(\(argument))" + (condition.map { " where \($0)" } ?? "")
        var result = QueryResult(valueNames: [name], rows: [], isTruncated: false, checkpointsRead: 0)
        // The rows must be able to evaluate both the argument and the condition.
        let needed = Self.union(argument, condition)
        for checkpoint in checkpoints {
            keepDecoded(checkpoint)
            result.checkpointsRead += 1
            var count = 0, sum = 0.0, minimum = Double.infinity, maximum = -Double.infinity, values = 0
            // A row counts when the condition holds (and, for count, the argument too).
            let counted = aggregate == .count ? needed : condition
            for rows in try rows(of: checkpoint, for: needed, previous: needed.readsChanged ? before(checkpoint) : nil,
                                 onlyWhere: counted, passedOver: &result.archetypesPassedOver) {
                let accept = condition.map { QueryProgram.condition($0, rows) } ?? { _ in true }
                if aggregate == .count {
                    let test = QueryProgram.condition(argument, rows)
                    for row in rows.ids.indices where accept(row) && test(row) { count += 1 }
                    continue
                }
                let value = QueryProgram.number(argument, rows)
                for row in rows.ids.indices where accept(row) {
                    let v = value(row)
                    guard !v.isNaN else { continue }
                    values += 1
                    sum += v
                    minimum = Swift.min(minimum, v)
                    maximum = Swift.max(maximum, v)
                }
            }
            let computed: QueryValue = switch aggregate {
            case .count: .count(count)
            case .sum: .number(sum)
            case .mean: .number(values == 0 ? .nan : sum / Double(values))
            case .min: .number(values == 0 ? .nan : minimum)
            case .max: .number(values == 0 ? .nan : maximum)
            }
            result.rows.append(QueryRow(branch: branch, checkpoint: checkpoint.id, tick: checkpoint.tick, entity: nil, values: [computed]))
        }
        return result
    }

    private func runDistribution(_ argument: QueryExpression, _ condition: QueryExpression?) throws(QueryError) -> QueryResult {
        var result = QueryResult(valueNames: Distribution.statisticNames, rows: [], isTruncated: false, checkpointsRead: 0)
        let needed = Self.union(argument, condition)
        for checkpoint in checkpoints {
            keepDecoded(checkpoint)
            result.checkpointsRead += 1
            var values: [Double] = []
            for rows in try rows(of: checkpoint, for: needed, previous: needed.readsChanged ? before(checkpoint) : nil,
                                 onlyWhere: condition, passedOver: &result.archetypesPassedOver) {
                let accept = condition.map { QueryProgram.condition($0, rows) } ?? { _ in true }
                let value = QueryProgram.number(argument, rows)
                for row in rows.ids.indices where accept(row) { values.append(value(row)) }
            }
            let spread = Distribution(values)
            result.distributions.append(spread)
            let statistics = spread.statistics
            let row: [QueryValue] = [.count(spread.count), .count(spread.nanCount)] + statistics.dropFirst(2).map { .number($0) }
            result.rows.append(QueryRow(branch: branch, checkpoint: checkpoint.id, tick: checkpoint.tick, entity: nil, values: row))
        }
        return result
    }

    /// An expression that reads what both read: used only to choose the
    /// archetypes and the columns to decode, never evaluated.
    private static func union(_ a: QueryExpression, _ b: QueryExpression?) -> QueryExpression {
        guard let b else { return a }
        return .binary(.and, a, b)
    }
}
