/*
 * tickscope.h: record a simulation into a Tickscope checkpoint store, and
 * read checkpoints back (to resume from a fork), from C or C++.
 *
 * Link with -ltickscope (libtickscope.so, built by `make sdk`). C11 and C++
 * compatible. See docs/RECORDING.md for the data model and a walk-through.
 *
 *     ts_recorder *rec;
 *     const char *fields[] = {"x", "y"};
 *     ts_type types[] = {TS_F32, TS_F32};
 *     if (ts_recorder_open("runs/mine", "main", NULL, 0, &rec) != TS_OK) { puts(ts_last_error()); return 1; }
 *     ts_recorder_declare(rec, "Position", 2, fields, types);
 *     for (uint64_t tick = 0; tick < 100; tick++) {
 *         step(world);
 *         const char *components[] = {"Position"};
 *         ts_frame_begin(rec, tick, tick * 0.1);
 *         ts_frame_archetype(rec, 1, components, world->ids, world->count);
 *         ts_frame_column(rec, "Position", "x", world->x, world->count, 0);
 *         ts_frame_column(rec, "Position", "y", world->y, world->count, 0);
 *         if (ts_frame_commit(rec) != TS_OK) { puts(ts_last_error()); break; }
 *     }
 *     ts_recorder_close(rec);   // flushes: every frame is durable
 *
 * Errors: every function that can fail returns a ts_status; on anything but
 * TS_OK, ts_last_error() gives a one-line message naming what is wrong.
 * No function aborts the program on bad arguments.
 *
 * Threads: a ts_recorder or ts_store may be used from one thread at a time
 * (any thread); different handles are independent. ts_last_error() is per
 * thread. The recorder commits on a thread of its own. Handles are never
 * reused: a closed handle passed again gets TS_ERROR_STATE, never another
 * recorder's or store's data.
 *
 * Memory: strings returned by the library stay valid until the handle they
 * came from is closed (ts_last_error(): until the next call on that thread).
 * Column data handed to ts_frame_column is copied before the call returns;
 * data lent with ts_frame_column_lent is read later (see there).
 */
#ifndef TICKSCOPE_H
#define TICKSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: a program built against version N runs
 * against a library whose ts_abi_version() has the same major (N >> 16) and
 * is at least N (functions are only added within a major version). */
#define TS_ABI_VERSION 0x00010100u /* 1.1: ts_frame_column_lent */
uint32_t ts_abi_version(void);

typedef enum ts_status {
    TS_OK = 0,
    TS_ERROR_ARGUMENT = 1, /* a null pointer, a wrong length, an unknown name, a type mismatch */
    TS_ERROR_STORE = 2,    /* the store could not be opened, read or written */
    TS_ERROR_STATE = 3,    /* the call does not fit the handle's state (a closed handle, no frame begun) */
    TS_ERROR_NOT_FOUND = 4 /* no such branch or checkpoint */
} ts_status;

/* Field types; the values are those of the snapshot format (docs/FORMAT.md). */
typedef enum ts_type {
    TS_BOOL = 1, /* one byte, 0 or 1 */
    TS_I8 = 2, TS_I16 = 3, TS_I32 = 4, TS_I64 = 5,
    TS_U8 = 6, TS_U16 = 7, TS_U32 = 8, TS_U64 = 9,
    TS_F32 = 10, TS_F64 = 11
} ts_type;

/* The message of the last failed call on this thread ("" if none). */
const char *ts_last_error(void);

/* ---- Recording ---------------------------------------------------------- */

typedef struct ts_recorder ts_recorder;

/* Opens (or creates) the store at `path` for writing and records on `branch`
 * ("main" when NULL): an existing branch goes on after its last checkpoint.
 * `key_file`: a 32-byte AES-256 key file (mode 0600) for an encrypted store,
 * or NULL. `queue_limit_bytes`: how many bytes of frames may wait for the
 * writer before ts_frame_commit waits (0: 256 MiB). */
ts_status ts_recorder_open(const char *path, const char *branch, const char *key_file,
                           uint64_t queue_limit_bytes, ts_recorder **out);

/* Declares a component: its name and its fields' names and types. Every
 * component a frame uses must be declared first; declaring one again with
 * other fields is an error. */
ts_status ts_recorder_declare(ts_recorder *recorder, const char *component, size_t field_count,
                              const char *const *field_names, const ts_type *field_types);

/* Starts the next frame (one tick's whole world). An unfinished frame is
 * dropped. */
ts_status ts_frame_begin(ts_recorder *recorder, uint64_t tick, double world_time);

/* Adds an archetype to the frame: the entities that have exactly these
 * components, by id (ids are unique in a frame and stable across ticks).
 * The ids are copied. */
ts_status ts_frame_archetype(ts_recorder *recorder, size_t component_count, const char *const *components,
                             const uint64_t *ids, size_t entity_count);

/* Sets one field's values for the archetype added last: `count` values (the
 * archetype's entity count) of the field's declared type, the i-th at
 * `data + i * stride` (stride 0: packed). The values are copied. */
ts_status ts_frame_column(ts_recorder *recorder, const char *component, const char *field,
                          const void *data, size_t count, size_t stride);

/* Like ts_frame_column, but lends the values instead of copying them now:
 * the recorder's writer thread reads them when it takes the frame, copying
 * only what changed since the last frame. Keep the memory allocated and
 * unchanged until the next ts_frame_commit, ts_recorder_flush or
 * ts_recorder_close returns; a frame refused at commit, or dropped by
 * ts_frame_begin, is never read after that call returns. Made for
 * simulations that keep two sets of arrays and compute the next tick into one
 * while the other is lent: when the writer keeps up, committing copies
 * nothing on the caller's thread; when it does not, the next commit does the
 * copy that ts_frame_column would have done. TS_BOOL values are copied at
 * once (their bytes are checked). Since 1.1 (TS_ABI_VERSION 0x00010100). */
ts_status ts_frame_column_lent(ts_recorder *recorder, const char *component, const char *field,
                               const void *data, size_t count, size_t stride);

/* Checks the frame (every field of every archetype set) and hands it to the
 * writer; waits while the queue is full. A frame that fails a check, or on
 * which any earlier ts_frame_archetype or ts_frame_column call failed (even
 * if that status was ignored), is dropped whole: nothing of it is
 * committed. */
ts_status ts_frame_commit(ts_recorder *recorder);

/* Waits until every committed frame is durable (survives kill -9 and power
 * loss). */
ts_status ts_recorder_flush(ts_recorder *recorder);

/* Flushes, stops the writer and frees the handle (also when it returns an
 * error). NULL is allowed. */
ts_status ts_recorder_close(ts_recorder *recorder);

/* ---- Reading ------------------------------------------------------------ */

typedef struct ts_store ts_store;
typedef struct ts_world ts_world;

/* Opens `path` for reading (`key_file` as above, or NULL): a checkpoint
 * store (what is intact of a damaged one), or any file or folder tickscope
 * reads (a snapshot file, tx2-pack file or folder, PECS, TKSN, an XS
 * package, JSON Lines), whose worlds appear as the branch "main". */
ts_status ts_store_open(const char *path, const char *key_file, ts_store **out);

/* The number of branches, and the name of the i-th (NULL when out of range). */
size_t ts_store_branch_count(const ts_store *store);
const char *ts_store_branch_name(const ts_store *store, size_t index);

/* The timeline of `branch` in order: a fork's begins with the checkpoints up
 * to its fork point, then its own. Writes up to `capacity` ids and ticks
 * (either may be NULL) and sets *count to how many there are. */
ts_status ts_store_checkpoints(const ts_store *store, const char *branch, uint64_t *ids, uint64_t *ticks,
                               size_t capacity, size_t *count);

/* Reads one checkpoint's world: by id, or with id 0 the last checkpoint of
 * `branch` (where a simulation resumes from). */
ts_status ts_store_read(ts_store *store, const char *branch, uint64_t checkpoint, ts_world **out);

/* Reads the world at `tick` on the timeline of `branch` (the last
 * checkpoint with that tick): where a simulation resumes from a chosen tick. */
ts_status ts_store_read_tick(ts_store *store, const char *branch, uint64_t tick, ts_world **out);

/* Frees the store handle (NULL is allowed). Worlds read from it stay valid. */
void ts_store_close(ts_store *store);

/* A world's checkpoint id, tick and world time. */
uint64_t ts_world_checkpoint(const ts_world *world);
uint64_t ts_world_tick(const ts_world *world);
double ts_world_time(const ts_world *world);

/* How many entities have `component` (0 when none or unknown). */
size_t ts_world_count(const ts_world *world, const char *component);

/* The type of `component.field` in this world, or 0 when there is none. */
int ts_world_field_type(const ts_world *world, const char *component, const char *field);

/* Copies the ids of the entities that have `component` (archetype by
 * archetype, in stored order) into `ids`, which holds `capacity` values;
 * capacity must be at least ts_world_count(). */
ts_status ts_world_ids(const ts_world *world, const char *component, uint64_t *ids, size_t capacity);

/* Copies one field's values, in the same entity order as ts_world_ids, into
 * `out` (the i-th at `out + i * stride`, stride 0: packed). `type` must be
 * the field's type. */
ts_status ts_world_read_field(const ts_world *world, const char *component, const char *field, ts_type type,
                              void *out, size_t capacity, size_t stride);

/* Frees a world (NULL is allowed). */
void ts_world_free(ts_world *world);

#ifdef __cplusplus
}
#endif

#endif /* TICKSCOPE_H */
