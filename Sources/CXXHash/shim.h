// xxHash, the system library (Debian: libxxhash-dev). Headers only: the
// XXH3 functions are called from libxxhash, never inlined from the header.
#include <xxhash.h>
#if defined(__x86_64__)
// On x86-64 the library also picks the widest vector unit the CPU has
// (SSE2, AVX2 or AVX-512) at run time; same hash values, see XXH3.swift.
#include <xxh_x86dispatch.h>
#endif
