// A disk that fills up, for the tests of what a full disk does to a store
// (StoreIntegrityCommandTests.fullDisk). Loaded with LD_PRELOAD into a
// tickscope process, it lets files in the folder TICKSCOPE_FULL_DISK_FOLDER
// take TICKSCOPE_FULL_DISK_BYTES more bytes through write and pwrite; the
// write that reaches the limit writes what fits and returns that count, as
// a real full disk does, and every later one fails with ENOSPC.
// cc -shared -fPIC -O2 -o full-disk.so full-disk.c -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long room = -1; // -1: not read yet
static char folder[PATH_MAX];

// Whether `fd` is a file inside the folder (its path, read from /proc).
static int watched(int fd) {
    if (room == -1) {
        const char *bytes = getenv("TICKSCOPE_FULL_DISK_BYTES"), *path = getenv("TICKSCOPE_FULL_DISK_FOLDER");
        room = bytes ? atoll(bytes) : LLONG_MAX;
        if (!path || !realpath(path, folder)) folder[0] = 0;
    }
    if (!folder[0]) return 0;
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, target, sizeof target - 1);
    if (length <= 0) return 0;
    target[length] = 0;
    size_t prefix = strlen(folder);
    return strncmp(target, folder, prefix) == 0 && target[prefix] == '/';
}

// How many of `count` bytes may be written now; 0 with errno ENOSPC when none.
static size_t allowed(int fd, size_t count) {
    pthread_mutex_lock(&lock);
    size_t granted = count;
    if (count > 0 && watched(fd)) {
        granted = room < (long long)count ? (size_t)room : count;
        room -= (long long)granted;
    }
    pthread_mutex_unlock(&lock);
    return granted;
}

ssize_t write(int fd, const void *buffer, size_t count) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    size_t granted = allowed(fd, count);
    if (count > 0 && granted == 0) { errno = ENOSPC; return -1; }
    return real(fd, buffer, granted);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    size_t granted = allowed(fd, count);
    if (count > 0 && granted == 0) { errno = ENOSPC; return -1; }
    return real(fd, buffer, granted, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) { return pwrite(fd, buffer, count, offset); }
