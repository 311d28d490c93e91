// The bounds of a column's values, for block statistics (PackCodec's
// ColumnStatistics). Plain C loops that the compiler vectorizes, built
// twice (AVX2 and the x86-64 baseline) and picked when the library loads:
// Swift has no per-function target attribute, and the baseline's SSE2
// has no unsigned or 64-bit min/max, which made `verify` spend more time
// on statistics than on reading the file (docs/PERFORMANCE.md).
//
// Every pointer is aligned for its type; `count` may be 0.
#ifndef TICKSCOPE_COLUMN_BOUNDS_H
#define TICKSCOPE_COLUMN_BOUNDS_H

#include <stddef.h>
#include <stdint.h>

/// The smallest and largest of `count` values (UINT32_MAX and 0 when none).
void tickscope_bounds_u32(const uint32_t *values, size_t count, uint32_t *low, uint32_t *high);
/// The smallest and largest of `count` values (INT32_MAX and INT32_MIN when none).
void tickscope_bounds_i32(const int32_t *values, size_t count, int32_t *low, int32_t *high);
/// The smallest and largest of `count` values (UINT64_MAX and 0 when none).
void tickscope_bounds_u64(const uint64_t *values, size_t count, uint64_t *low, uint64_t *high);
/// The smallest and largest of `count` values (INT64_MAX and INT64_MIN when none).
void tickscope_bounds_i64(const int64_t *values, size_t count, int64_t *low, int64_t *high);

/// Float bounds by bit patterns: each of `count` float32 bit patterns
/// becomes a key that sorts as the floats do (negative: all bits inverted;
/// positive: the sign bit set). `low` and `high` are the smallest and
/// largest key of the values that are not NaN (a magnitude above
/// `infinity`'s), `nans` how many are NaN.
void tickscope_float_keys_32(const uint32_t *bits, size_t count, uint32_t infinity, uint32_t *low, uint32_t *high, uint32_t *nans);
/// ``tickscope_float_keys_32`` for float64 bit patterns.
void tickscope_float_keys_64(const uint64_t *bits, size_t count, uint64_t infinity, uint64_t *low, uint64_t *high, uint64_t *nans);

#endif
