// xxHash, the system library (Debian: libxxhash-dev). Headers only: the
// XXH3 functions are called from libxxhash, never inlined from the header.
#include <xxhash.h>
