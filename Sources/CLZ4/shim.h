// lz4 block and frame API, the system library (Debian: liblz4-dev). Headers only.
#include <lz4.h>
#include <lz4frame.h>
