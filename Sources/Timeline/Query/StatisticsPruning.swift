import PackCodec

/// Whether a condition can hold for any row of a stored archetype, judged
/// from its blocks' statistics alone (docs/QUERY.md, "Statistics"): a
/// query passes over an archetype whose statistics rule every row out
/// without reading a byte of it. `Health.value > 1000` cannot hold where
/// the block's maximum is 100.
///
/// The answer errs one way only: `false` means no row can match; `true`
/// means some might (or the statistics cannot tell: a block without them,
/// an expression other than comparisons of a field or `id` with a number,
/// joined by `&&` and `||`).
enum StatisticsPruning {
    /// Whether some row of `archetype` may satisfy `condition`.
    static func mayHold(_ condition: QueryExpression, in archetype: StoredArchetype) -> Bool {
        switch condition {
        case .binary(.and, let left, let right):
            return mayHold(left, in: archetype) && mayHold(right, in: archetype)
        case .binary(.or, let left, let right):
            return mayHold(left, in: archetype) || mayHold(right, in: archetype)
        case .binary(let op, let left, let right) where op.isComparison:
            if let literal = number(right), let range = bounds(of: left, in: archetype) {
                return mayHold(op, range, literal)
            }
            if let literal = number(left), let range = bounds(of: right, in: archetype) {
                return mayHold(op.mirrored, range, literal)
            }
            return true
        default:
            return true
        }
    }

    /// What a block's statistics say about its values: the smallest and
    /// largest that are not NaN, and whether there are NaNs.
    struct ValueRange {
        var lowest: Double
        var highest: Double
        var hasNaN: Bool
        /// Whether any value is not NaN.
        var hasNumbers: Bool { lowest <= highest }
    }

    /// `subject OP literal` for some value in `range`?
    private static func mayHold(_ op: QueryOperator, _ range: ValueRange, _ literal: Double) -> Bool {
        if literal.isNaN {
            // `x == nan` asks for a NaN; any other comparison with NaN is false, except `!=`.
            switch op {
            case .equal: return range.hasNaN
            case .notEqual: return range.hasNumbers
            default: return false
            }
        }
        switch op {
        case .greater: return range.highest > literal
        case .greaterOrEqual: return range.highest >= literal
        case .less: return range.lowest < literal
        case .lessOrEqual: return range.lowest <= literal
        case .equal: return range.lowest <= literal && literal <= range.highest
        default: return true
        }
    }

    /// A number literal (`-5` arrives as the negation of `5`).
    private static func number(_ expression: QueryExpression) -> Double? {
        switch expression {
        case .number(let value, _): value
        case .negate(let inner): number(inner).map { -$0 }
        default: nil
        }
    }

    /// The range of a field's (or the entity ids') values in `archetype`,
    /// from its block's statistics. Integer bounds are widened by one step
    /// of binary64 each way, so a bound that does not convert exactly still
    /// encloses every value.
    static func bounds(of subject: QueryExpression, in archetype: StoredArchetype) -> ValueRange? {
        let ref: BlockRef
        switch subject {
        case .id:
            ref = archetype.entities
        case .field(let component, let field):
            guard let index = archetype.columnIndex(component, field) else { return nil }
            ref = archetype.columns[index]
        default:
            return nil
        }
        guard let statistics = ref.statistics else { return nil }
        func value(_ bound: ColumnStatistics.Bound) -> (Double, isExact: Bool) {
            switch bound {
            case .float(let value): (value, true)
            case .signed(let value): (Double(value), false)
            case .unsigned(let value): (Double(value), false)
            }
        }
        let (low, lowExact) = value(statistics.minimum), (high, highExact) = value(statistics.maximum)
        return ValueRange(
            lowest: lowExact ? low : low.nextDown, highest: highExact ? high : high.nextUp, hasNaN: statistics.nanCount > 0)
    }
}

extension QueryOperator {
    /// The operator with its operands swapped: `5 < x` is `x > 5`.
    var mirrored: QueryOperator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: self
        }
    }
}
