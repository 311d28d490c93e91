"""bench_sdk: W3 `swarm-timeline` (../shared/bench/WORKLOADS.md) recorded
through the tickscope package, one whole world handed over per tick. Prints
one JSON object, as Examples/c/bench_sdk.c does.

    python3 bench_sdk.py STORE ENTITIES TICKS [RATE [lend]]

RATE, when given (0: none), paces the simulation at that many ticks a second
(a program that runs in real time); without it the simulation runs as fast as
it can and the recorder's queue fills. `lend` steps into new arrays each tick
(copies of the last ones, the simulation's own cost, reported apart as
sim_copy_ms_median) and lends them to the recorder instead of having them
copied.
"""
import json
import os
import resource
import sys
import time

import numpy as np

import tickscope

MASK = (1 << 64) - 1


def swarm(n: int, first_id: int, state: int):
    """W2 values for ids first_id..first_id+n-1 drawn from splitmix64 (vectorised over the stream)."""
    steps = np.arange(1, 7 * n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(state) + steps * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = ((z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)).reshape(n, 7)
    ids = np.arange(first_id, first_id + n, dtype=np.uint64)
    cols = [
        (ids % 1024).astype(np.float32) * np.float32(4) + u[:, 0],
        (ids // 1024).astype(np.float32) * np.float32(4) + u[:, 1],
        u[:, 2] * np.float32(16),
        u[:, 3] * np.float32(2) - np.float32(1),
        u[:, 4] * np.float32(2) - np.float32(1),
        u[:, 5] * np.float32(2) - np.float32(1),
        np.floor(u[:, 6] * np.float32(101)),
    ]
    return ids, [np.ascontiguousarray(c) for c in cols], (state + 7 * n * 0x9E3779B97F4A7C15) & MASK


def main() -> int:
    path, n, ticks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    lend = len(sys.argv) > 5 and sys.argv[5] == "lend"
    ids, cols, state = swarm(n, 0, 42)
    names = ["Position.x", "Position.y", "Position.z", "Velocity.vx", "Velocity.vy", "Velocity.vz", "Health.value"]
    schema = {"Position": {"x": np.float32, "y": np.float32, "z": np.float32},
              "Velocity": {"vx": np.float32, "vy": np.float32, "vz": np.float32}, "Health": {"value": np.float32}}
    stall, copy = [], []
    start = time.perf_counter()
    with tickscope.Recorder(path, schema) as recorder:
        for t in range(ticks + 1):
            if rate > 0:
                time.sleep(max(0.0, start + t / rate - time.perf_counter()))
            if t > 0 and lend:
                began = time.perf_counter()
                cols = [c.copy() for c in cols]  # the lent arrays stay as they were
                copy.append((time.perf_counter() - began) * 1e3)
            if t > 0:
                moving = ids % np.uint64(10) == np.uint64(t % 10)
                for c in range(3):
                    cols[c][moving] += cols[c + 3][moving] * np.float32(0.5)
                hurt = ids % np.uint64(100) == np.uint64(t % 100)
                cols[6][hurt] = np.maximum(np.float32(0), cols[6][hurt] - np.float32(1))
                if t % 25 == 0:
                    keep = ids % np.uint64(1000) != np.uint64(t % 1000)
                    new_ids, new_cols, state = swarm(int((~keep).sum()), n + t * 1000, state)
                    ids = np.concatenate([ids[keep], new_ids])
                    cols = [np.concatenate([c[keep], nc]) for c, nc in zip(cols, new_cols)]
            before = time.perf_counter()
            recorder.record(t, [tickscope.Archetype(["Position", "Velocity", "Health"], ids, dict(zip(names, cols)))], lend=lend)
            stall.append((time.perf_counter() - before) * 1e3)
        handed = time.perf_counter()
        recorder.flush()
        durable = time.perf_counter()
    size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path) if os.path.isfile(os.path.join(path, f)))
    stall.sort()
    copy.sort()
    print(json.dumps({
        "language": "python", "entities": n, "ticks": ticks, "rate": rate, "lend": lend,
        "stall_ms_median": round(stall[len(stall) // 2], 3), "stall_ms_p99": round(stall[int(len(stall) * 0.99)], 3),
        "commits_per_s": round((ticks + 1) / (durable - start), 1), "bytes_on_disk": size,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "flush_ms": round((durable - handed) * 1e3, 1),
        "sim_copy_ms_median": round(copy[len(copy) // 2], 3) if copy else 0.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
