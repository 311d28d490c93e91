// zstd, the system library (Debian: libzstd-dev). Headers only.
#include <zstd.h>
#include <zstd_errors.h>
