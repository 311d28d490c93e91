#define _POSIX_C_SOURCE 200809L
/*
 * bench_sdk: W3 `swarm-timeline` (../shared/bench/WORKLOADS.md) recorded
 * through libtickscope, one whole world handed over per tick. Prints one JSON
 * object: the time the simulation thread spends in the recorder per tick
 * (median, p99), commits a second, bytes on disk, peak RSS and the time from
 * the last hand-over until everything is durable.
 *
 *   bench_sdk STORE ENTITIES TICKS [RATE [lend]]
 *
 * RATE, when given (0: none), paces the simulation at that many ticks a
 * second (a program that runs in real time); without it the simulation runs
 * as fast as it can and the recorder's queue fills.
 *
 * `lend` runs the simulation double-buffered and lends each tick's columns
 * (ts_frame_column_lent) instead of having them copied: tick t is computed
 * into the arrays not lent, from the ones lent at t-1. Copying the old state
 * into the new arrays before stepping is the simulation's own cost, outside
 * the measured stall (reported apart as sim_copy_ms_median).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "tickscope.h"

static uint64_t state = 42;
static uint64_t next(void) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float u(void) { return (float)(next() >> 40) * (1.0f / 16777216.0f); }

typedef struct { uint64_t *id; float *col[7]; size_t n; } World;
static const char *NAMES[7][2] = {{"Position", "x"}, {"Position", "y"}, {"Position", "z"}, {"Velocity", "vx"},
                                  {"Velocity", "vy"}, {"Velocity", "vz"}, {"Health", "value"}};

static void draw(World *w, size_t at, uint64_t i) {
    w->id[at] = i;
    w->col[0][at] = (float)(i % 1024) * 4.0f + u();
    w->col[1][at] = (float)(i / 1024) * 4.0f + u();
    w->col[2][at] = u() * 16.0f;
    w->col[3][at] = u() * 2.0f - 1.0f;
    w->col[4][at] = u() * 2.0f - 1.0f;
    w->col[5][at] = u() * 2.0f - 1.0f;
    w->col[6][at] = floorf(u() * 101.0f);
}

static void tick(World *w, uint64_t t, uint64_t n0) {
    for (size_t k = 0; k < w->n; k++) {
        uint64_t i = w->id[k];
        if (i % 10 == t % 10)
            for (int c = 0; c < 3; c++) w->col[c][k] += w->col[c + 3][k] * 0.5f;
        if (i % 100 == t % 100) w->col[6][k] = fmaxf(0.0f, w->col[6][k] - 1.0f);
    }
    if (t % 25 == 0) {
        size_t kept = 0, gone = 0;
        for (size_t k = 0; k < w->n; k++) {
            if (w->id[k] % 1000 == t % 1000) { gone++; continue; }
            w->id[kept] = w->id[k];
            for (int c = 0; c < 7; c++) w->col[c][kept] = w->col[c][k];
            kept++;
        }
        for (size_t k = 0; k < gone; k++) draw(w, kept + k, n0 + t * 1000 + k);
    }
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static World world_new(size_t n) {
    World w = {.n = n, .id = malloc(n * sizeof(uint64_t))};
    for (int c = 0; c < 7; c++) w.col[c] = malloc(n * sizeof(float));
    return w;
}

static void world_copy(World *to, const World *from) {
    to->n = from->n;
    memcpy(to->id, from->id, from->n * sizeof(uint64_t));
    for (int c = 0; c < 7; c++) memcpy(to->col[c], from->col[c], from->n * sizeof(float));
}

static int fail(const char *what) {
    fprintf(stderr, "bench_sdk: %s: %s\n", what, ts_last_error());
    return 1;
}

int main(int argc, char **argv) {
    int lend = argc == 6 && strcmp(argv[5], "lend") == 0;
    if (argc < 4 || argc > 6 || (argc == 6 && !lend)) {
        fprintf(stderr, "usage: bench_sdk STORE ENTITIES TICKS [RATE [lend]]\n");
        return 2;
    }
    const char *path = argv[1];
    size_t n = (size_t)strtoull(argv[2], NULL, 10);
    uint64_t ticks = strtoull(argv[3], NULL, 10);
    double rate = argc >= 5 ? strtod(argv[4], NULL) : 0.0;
    World worlds[2] = {world_new(n), lend ? world_new(n) : (World){0}};
    for (size_t i = 0; i < n; i++) draw(&worlds[0], i, i);
    ts_status (*set_column)(ts_recorder *, const char *, const char *, const void *, size_t, size_t) =
        lend ? ts_frame_column_lent : ts_frame_column;

    ts_recorder *rec;
    if (ts_recorder_open(path, "main", NULL, 0, &rec) != TS_OK) return fail("open");
    const char *pos[] = {"x", "y", "z"}, *vel[] = {"vx", "vy", "vz"}, *health[] = {"value"};
    ts_type f3[] = {TS_F32, TS_F32, TS_F32};
    if (ts_recorder_declare(rec, "Position", 3, pos, f3) || ts_recorder_declare(rec, "Velocity", 3, vel, f3) ||
        ts_recorder_declare(rec, "Health", 1, health, f3)) return fail("declare");
    const char *components[] = {"Position", "Velocity", "Health"};
    double *stall = malloc((ticks + 1) * sizeof(double)), *copy = calloc(ticks + 1, sizeof(double));
    double start = now_ms();
    for (uint64_t t = 0; t <= ticks; t++) {
        if (rate > 0) {
            double due = start + (double)t * 1e3 / rate;
            for (double left = due - now_ms(); left > 0; left = due - now_ms()) {
                struct timespec pause = {(time_t)(left / 1e3), (long)(fmod(left, 1e3) * 1e6)};
                nanosleep(&pause, NULL);
            }
        }
        World *w = &worlds[lend ? t % 2 : 0];
        if (lend && t > 0) {
            double from = now_ms();
            world_copy(w, &worlds[(t + 1) % 2]);  /* the arrays lent at t-1 stay as they were */
            copy[t] = now_ms() - from;
        }
        if (t > 0) tick(w, t, n);
        double before = now_ms();
        if (ts_frame_begin(rec, t, (double)t) || ts_frame_archetype(rec, 3, components, w->id, w->n)) return fail("frame");
        for (int c = 0; c < 7; c++)
            if (set_column(rec, NAMES[c][0], NAMES[c][1], w->col[c], w->n, 0)) return fail("column");
        if (ts_frame_commit(rec)) return fail("commit");
        stall[t] = now_ms() - before;
    }
    double handed = now_ms();
    if (ts_recorder_flush(rec)) return fail("flush");
    double durable = now_ms();
    if (ts_recorder_close(rec)) return fail("close");

    uint64_t bytes = 0;
    DIR *dir = opendir(path);
    for (struct dirent *e; dir && (e = readdir(dir));) {
        char file[4096];
        struct stat st;
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) bytes += (uint64_t)st.st_size;
    }
    if (dir) closedir(dir);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    qsort(stall, ticks + 1, sizeof(double), compare);
    qsort(copy + 1, ticks, sizeof(double), compare);
    printf("{\"language\":\"c\",\"entities\":%zu,\"ticks\":%llu,\"rate\":%g,\"lend\":%s,\"stall_ms_median\":%.3f,"
           "\"stall_ms_p99\":%.3f,\"commits_per_s\":%.1f,\"bytes_on_disk\":%llu,\"peak_rss_bytes\":%ld,\"flush_ms\":%.1f,"
           "\"sim_copy_ms_median\":%.3f}\n",
           n, (unsigned long long)ticks, rate, lend ? "true" : "false", stall[(ticks + 1) / 2],
           stall[(size_t)((double)(ticks + 1) * 0.99)], (double)(ticks + 1) / ((durable - start) / 1e3),
           (unsigned long long)bytes, usage.ru_maxrss * 1024L, durable - handed, ticks > 0 ? copy[1 + ticks / 2] : 0.0);
    return 0;
}
