/*
 * write-floor: the fastest way this machine's file system takes a new file
 * of W2's size (36,000,000 bytes at 1,000,000 entities), each way then
 * renamed into place as a snapshot file is, no fsync: the floor that
 * `bench codec` compares writes with, and whether a second core can lower
 * it.
 *
 *   cc -O2 -pthread Benchmarks/write-floor.c -o /tmp/write-floor
 *   /tmp/write-floor [DIRECTORY [BYTES [RUNS]]]
 *
 * Ways: one write(2); two threads each pwrite(2) half; the same after
 * fallocate(2); O_DIRECT from aligned memory; two threads copying into a
 * shared mapping of the file; one write after fallocate(2). Prints each way's median in milliseconds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { WAYS = 6 };
static const char *names[WAYS] = {"one write", "two threads' pwrite", "fallocate, two threads' pwrite", "O_DIRECT write",
                                  "two threads' memcpy into a mapping", "fallocate, one write"};

static char *source;
static size_t size;

typedef struct {
    int fd;
    char *mapping;
    size_t offset, length;
} Part;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *put(void *argument) {
    Part *part = argument;
    size_t done = 0;
    while (done < part->length) {
        ssize_t n = pwrite(part->fd, source + part->offset + done, part->length - done, (off_t)(part->offset + done));
        if (n <= 0) { perror("pwrite"); exit(1); }
        done += (size_t)n;
    }
    return NULL;
}

static void *copy(void *argument) {
    Part *part = argument;
    memcpy(part->mapping + part->offset, source + part->offset, part->length);
    return NULL;
}

static void halves(void *(*work)(void *), int fd, char *mapping) {
    size_t half = size / 2 / 4096 * 4096;
    Part first = {fd, mapping, 0, half}, second = {fd, mapping, half, size - half};
    pthread_t other;
    if (pthread_create(&other, NULL, work, &second) != 0) { perror("pthread_create"); exit(1); }
    work(&first);
    pthread_join(other, NULL);
}

static double once(int way, const char *directory) {
    char temporary[4096], target[4096];
    snprintf(temporary, sizeof temporary, "%s/write-floor.tmp", directory);
    snprintf(target, sizeof target, "%s/write-floor.out", directory);
    unlink(temporary);
    unlink(target);
    sync(); /* no earlier run's writeback or freed pages in this one's time */
    double start = now_ms();
    int fd = open(temporary, O_CREAT | O_EXCL | O_RDWR | (way == 3 ? O_DIRECT : 0), 0644);
    if (fd < 0) { perror(temporary); exit(1); }
    Part whole = {fd, NULL, 0, size};
    switch (way) {
    case 0: put(&whole); break;
    case 1: halves(put, fd, NULL); break;
    case 2:
        if (fallocate(fd, 0, 0, (off_t)size) != 0) { perror("fallocate"); exit(1); }
        halves(put, fd, NULL);
        break;
    case 3: put(&whole); break;
    case 5:
        if (fallocate(fd, 0, 0, (off_t)size) != 0) { perror("fallocate"); exit(1); }
        put(&whole);
        break;
    case 4: {
        if (ftruncate(fd, (off_t)size) != 0) { perror("ftruncate"); exit(1); }
        char *mapping = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mapping == MAP_FAILED) { perror("mmap"); exit(1); }
        halves(copy, fd, mapping);
        munmap(mapping, size);
        break;
    }
    }
    close(fd);
    if (rename(temporary, target) != 0) { perror("rename"); exit(1); }
    return now_ms() - start;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *directory = argc > 1 ? argv[1] : "/tmp";
    size = argc > 2 ? strtoull(argv[2], NULL, 10) : 36000000;
    int runs = argc > 3 ? atoi(argv[3]) : 9;
    size = (size + 4095) / 4096 * 4096; /* O_DIRECT writes whole blocks */
    if (runs < 1 || posix_memalign((void **)&source, 4096, size) != 0) { fprintf(stderr, "usage: write-floor [DIRECTORY [BYTES [RUNS]]]\n"); return 2; }
    for (size_t i = 0; i < size; i++) source[i] = (char)(i * 7 + (i >> 12));
    double times[WAYS][runs];
    for (int run = 0; run < runs; run++)
        for (int way = 0; way < WAYS; way++) times[way][run] = once(way, directory); /* alternated, so drift hits every way alike */
    printf("%zu bytes to %s, medians of %d\n", size, directory, runs);
    for (int way = 0; way < WAYS; way++) {
        qsort(times[way], (size_t)runs, sizeof(double), compare);
        printf("  %-36s %7.1f ms\n", names[way], times[way][runs / 2]);
    }
    char target[4096];
    snprintf(target, sizeof target, "%s/write-floor.out", directory);
    unlink(target);
    return 0;
}
