// A copy whose stores go around the cache, for the large blocks a snapshot
// read copies out of the file's mapping while hashing them (PackCodec's
// BlockDecoder). A plain memcpy of a chunk first reads each destination
// line into the cache and then writes it back: three passes over memory
// where two do. Swift has no non-temporal stores, so this is C.
#ifndef TICKSCOPE_STREAMING_COPY_H
#define TICKSCOPE_STREAMING_COPY_H

#include <stddef.h>

/// Copies `count` bytes from `source` to `destination` (which must not
/// overlap), with non-temporal stores where the CPU has them (SSE2: every
/// x86-64) and memcpy elsewhere. The stores are fenced before it returns,
/// so whoever is handed the destination next sees every byte.
void tickscope_copy_streaming(void *restrict destination, const void *restrict source, size_t count);

#endif
