#include "column_bounds.h"

// target_clones makes one copy of a function per target and an ifunc that
// the dynamic loader resolves once, by the CPU it runs on. Not under
// ThreadSanitizer: its instrumented resolver runs before the sanitizer's
// runtime is set up and crashes every TSan build at load.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TICKSCOPE_NO_IFUNC 1
#endif
#endif
#if defined(__x86_64__) && defined(__ELF__) && !defined(TICKSCOPE_NO_IFUNC)
#define VECTORIZED __attribute__((target_clones("avx2", "default")))
#else
#define VECTORIZED
#endif

#define BOUNDS(name, type, smallest, largest)                                   \
    VECTORIZED void name(const type *values, size_t count, type *low, type *high) { \
        type lo = largest, hi = smallest;                                       \
        for (size_t i = 0; i < count; i++) {                                    \
            type value = values[i];                                             \
            lo = value < lo ? value : lo;                                       \
            hi = value > hi ? value : hi;                                       \
        }                                                                       \
        *low = lo;                                                              \
        *high = hi;                                                             \
    }

BOUNDS(tickscope_bounds_u32, uint32_t, 0, UINT32_MAX)
BOUNDS(tickscope_bounds_i32, int32_t, INT32_MIN, INT32_MAX)
BOUNDS(tickscope_bounds_u64, uint64_t, 0, UINT64_MAX)
BOUNDS(tickscope_bounds_i64, int64_t, INT64_MIN, INT64_MAX)

// Branch-free, so it vectorizes: for a magnitude below the sign bit,
// `magnitude - (infinity + 1)` wraps to a value with the sign bit set
// unless the magnitude is a NaN's.
#define FLOAT_KEYS(name, type, width)                                            \
    VECTORIZED void name(const type *bits, size_t count, type infinity, type *low, type *high, type *nans) { \
        const type sign = (type)1 << (width - 1);                                \
        type lo = (type)~(type)0, hi = 0, nan = 0;                               \
        for (size_t i = 0; i < count; i++) {                                     \
            type value = bits[i];                                                \
            type negative = (type)0 - (value >> (width - 1));                    \
            type key = value ^ (negative | sign);                                \
            type isNaN = ((type)((value & ~sign) - (infinity + 1)) >> (width - 1)) ^ 1; \
            type nanMask = (type)0 - isNaN;                                      \
            type keyLow = key | nanMask, keyHigh = key & ~nanMask;               \
            lo = keyLow < lo ? keyLow : lo;                                      \
            hi = keyHigh > hi ? keyHigh : hi;                                    \
            nan += isNaN;                                                        \
        }                                                                        \
        *low = lo;                                                               \
        *high = hi;                                                              \
        *nans = nan;                                                             \
    }

FLOAT_KEYS(tickscope_float_keys_32, uint32_t, 32)
FLOAT_KEYS(tickscope_float_keys_64, uint64_t, 64)
