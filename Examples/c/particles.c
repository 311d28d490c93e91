/*
 * particles: a small C simulation recorded with libtickscope.
 *
 *   particles STORE TICKS [BRANCH]   record TICKS more ticks on BRANCH ("main");
 *                                    a branch that has checkpoints is resumed
 *                                    from its last one (a fork made in the
 *                                    debugger, say)
 *   particles STORE --check BRANCH   replay the simulation from the branch's
 *                                    first checkpoint and compare every
 *                                    recorded one with it, value for value
 *
 * Every 10 ticks it flushes and prints "durable TICK": everything up to that
 * tick survives kill -9 from then on.
 *
 * Build: cc -std=c11 particles.c -I../../include -L<lib> -ltickscope
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tickscope.h"

#define COUNT 1000

typedef struct {
    uint64_t ids[COUNT];
    float x[COUNT], y[COUNT], vx[COUNT], vy[COUNT];
    int32_t charge[COUNT];
    uint64_t tick;
} World;

static const char *FIELDS_BODY[] = {"x", "y", "vx", "vy"};
static const ts_type TYPES_BODY[] = {TS_F32, TS_F32, TS_F32, TS_F32};
static const char *FIELDS_CHARGE[] = {"value"};
static const ts_type TYPES_CHARGE[] = {TS_I32};

static int fail(const char *what) {
    fprintf(stderr, "particles: %s: %s\n", what, ts_last_error());
    return 1;
}

static void seed(World *w) {
    uint64_t state = 42;
    for (int i = 0; i < COUNT; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        w->ids[i] = 100 + (uint64_t)i;
        w->x[i] = (float)((state >> 33) % 1000) / 10.0f;
        w->y[i] = (float)((state >> 13) % 1000) / 10.0f;
        w->vx[i] = (float)((int)((state >> 23) % 21) - 10) / 10.0f;
        w->vy[i] = (float)((int)((state >> 43) % 21) - 10) / 10.0f;
        w->charge[i] = (int32_t)(state >> 60) - 8;
    }
    w->tick = 0;
}

/* One step: move, bounce off the walls of a 100 x 100 box. */
static void step(World *w) {
    for (int i = 0; i < COUNT; i++) {
        w->x[i] += w->vx[i];
        w->y[i] += w->vy[i];
        if (w->x[i] < 0.0f || w->x[i] > 100.0f) w->vx[i] = -w->vx[i];
        if (w->y[i] < 0.0f || w->y[i] > 100.0f) w->vy[i] = -w->vy[i];
        if (i % 97 == (int)(w->tick % 97)) w->charge[i] = -w->charge[i];
    }
    w->tick++;
}

/* Charged particles (charge != 0) have both components; neutral ones only Body. */
static int record(ts_recorder *rec, const World *w) {
    static uint64_t ids[2][COUNT];
    static float cols[2][4][COUNT];
    static int32_t charges[COUNT];
    size_t n[2] = {0, 0};
    for (int i = 0; i < COUNT; i++) {
        int part = w->charge[i] != 0 ? 0 : 1;
        size_t k = n[part]++;
        ids[part][k] = w->ids[i];
        cols[part][0][k] = w->x[i];
        cols[part][1][k] = w->y[i];
        cols[part][2][k] = w->vx[i];
        cols[part][3][k] = w->vy[i];
        if (part == 0) charges[k] = w->charge[i];
    }
    if (ts_frame_begin(rec, w->tick, (double)w->tick * 0.1) != TS_OK) return fail("frame");
    const char *both[] = {"Body", "Charge"};
    const char *body[] = {"Body"};
    for (int part = 0; part < 2; part++) {
        if (n[part] == 0) continue;
        if (ts_frame_archetype(rec, part == 0 ? 2 : 1, part == 0 ? both : body, ids[part], n[part]) != TS_OK) return fail("archetype");
        for (int f = 0; f < 4; f++)
            if (ts_frame_column(rec, "Body", FIELDS_BODY[f], cols[part][f], n[part], 0) != TS_OK) return fail("column");
        if (part == 0 && ts_frame_column(rec, "Charge", "value", charges, n[0], 0) != TS_OK) return fail("column");
    }
    return ts_frame_commit(rec) == TS_OK ? 0 : fail("commit");
}

/* Restores a world from the last checkpoint of `branch`; returns 1 if there is none. */
static int restore(const char *path, const char *branch, World *w, uint64_t checkpoint) {
    ts_store *store;
    if (ts_store_open(path, NULL, &store) != TS_OK) return 1;
    ts_world *saved;
    if (ts_store_read(store, branch, checkpoint, &saved) != TS_OK) { ts_store_close(store); return 1; }
    size_t n = ts_world_count(saved, "Body");
    if (n != COUNT) { fprintf(stderr, "particles: %s@%s holds %zu particles, not %d\n", path, branch, n, COUNT); exit(1); }
    /* Entities in stored order; the simulation keeps them sorted by id. */
    uint64_t ids[COUNT];
    float values[4][COUNT];
    if (ts_world_ids(saved, "Body", ids, COUNT) != TS_OK) exit(fail("ids"));
    for (int f = 0; f < 4; f++)
        if (ts_world_read_field(saved, "Body", FIELDS_BODY[f], TS_F32, values[f], COUNT, 0) != TS_OK) exit(fail("read"));
    size_t charged = ts_world_count(saved, "Charge");
    uint64_t charged_ids[COUNT];
    int32_t charges[COUNT];
    if (ts_world_ids(saved, "Charge", charged_ids, COUNT) != TS_OK ||
        ts_world_read_field(saved, "Charge", "value", TS_I32, charges, COUNT, 0) != TS_OK) exit(fail("read"));
    for (size_t i = 0; i < COUNT; i++) {
        size_t slot = ids[i] - 100;
        w->ids[slot] = ids[i];
        w->x[slot] = values[0][i];
        w->y[slot] = values[1][i];
        w->vx[slot] = values[2][i];
        w->vy[slot] = values[3][i];
        w->charge[slot] = 0;
    }
    for (size_t i = 0; i < charged; i++) w->charge[charged_ids[i] - 100] = charges[i];
    w->tick = ts_world_tick(saved);
    ts_world_free(saved);
    ts_store_close(store);
    return 0;
}

static int check(const char *path, const char *branch) {
    ts_store *store;
    if (ts_store_open(path, NULL, &store) != TS_OK) return fail("open");
    size_t count = 0;
    if (ts_store_checkpoints(store, branch, NULL, NULL, 0, &count) != TS_OK) return fail("checkpoints");
    uint64_t *ids = calloc(count, sizeof *ids), *ticks = calloc(count, sizeof *ticks);
    ts_store_checkpoints(store, branch, ids, ticks, count, &count);
    World expected, got;
    if (restore(path, branch, &expected, ids[0]) != 0) return fail("first checkpoint");
    for (size_t c = 0; c < count; c++) {
        if (restore(path, branch, &got, ids[c]) != 0) return fail("checkpoint");
        if (got.tick != expected.tick || ticks[c] != expected.tick ||
            memcmp(got.x, expected.x, sizeof got.x) || memcmp(got.y, expected.y, sizeof got.y) ||
            memcmp(got.vx, expected.vx, sizeof got.vx) || memcmp(got.vy, expected.vy, sizeof got.vy) ||
            memcmp(got.charge, expected.charge, sizeof got.charge) || memcmp(got.ids, expected.ids, sizeof got.ids)) {
            fprintf(stderr, "particles: checkpoint c%llu (tick %llu) differs from the replay at tick %llu\n",
                    (unsigned long long)ids[c], (unsigned long long)got.tick, (unsigned long long)expected.tick);
            return 1;
        }
        step(&expected);
    }
    printf("%s@%s: %zu checkpoints match the replay\n", path, branch, count);
    free(ids);
    free(ticks);
    ts_store_close(store);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[2], "--check") == 0) return check(argv[1], argv[3]);
    if (argc < 3) {
        fprintf(stderr, "usage: particles STORE TICKS [BRANCH] | particles STORE --check BRANCH\n");
        return 2;
    }
    const char *path = argv[1], *branch = argc > 3 ? argv[3] : "main";
    long ticks = strtol(argv[2], NULL, 10);
    static World w;
    int resumed = restore(path, branch, &w, 0) == 0;
    if (!resumed) seed(&w);
    ts_recorder *rec;
    if (ts_recorder_open(path, branch, NULL, 0, &rec) != TS_OK) return fail("open");
    if (ts_recorder_declare(rec, "Body", 4, FIELDS_BODY, TYPES_BODY) != TS_OK ||
        ts_recorder_declare(rec, "Charge", 1, FIELDS_CHARGE, TYPES_CHARGE) != TS_OK) return fail("declare");
    if (!resumed && record(rec, &w) != 0) return 1;
    for (long t = 0; t < ticks; t++) {
        step(&w);
        if (record(rec, &w) != 0) return 1;
        if (w.tick % 10 == 0) {
            if (ts_recorder_flush(rec) != TS_OK) return fail("flush");
            printf("durable %llu\n", (unsigned long long)w.tick);
            fflush(stdout);
        }
    }
    if (ts_recorder_close(rec) != TS_OK) return fail("close");
    printf("recorded %s@%s up to tick %llu\n", path, branch, (unsigned long long)w.tick);
    return 0;
}
