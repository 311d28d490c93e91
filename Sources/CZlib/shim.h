// zlib (Debian: zlib1g-dev): CRC-32 for block checksums, gzip for foreign formats.
#include <zlib.h>
