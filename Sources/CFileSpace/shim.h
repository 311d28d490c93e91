// fallocate(2), which glibc declares only under _GNU_SOURCE, so Swift's
// Glibc module does not show it. The function is glibc's own.
#include <sys/types.h>

extern int fallocate(int fd, int mode, off_t offset, off_t length);

// Allocate without changing the file's size (linux/falloc.h).
#define TICKSCOPE_FALLOC_FL_KEEP_SIZE 0x01
