"""Apache Arrow IPC's uncompressed file write of a W2-shaped table, timed as
`tickscope bench codec` times its own writes, for issue 17's comparison.

W2 at N entities is a u64 id column and seven f32 columns (36 bytes a row).
Each run starts quiet, untimed: no file under the target name and no dirty
pages of an earlier run (`os.sync()`); then the table is written to a
temporary file beside the target and renamed into place. Prints the median
of RUNS in milliseconds, as JSON.

    python3 -m venv /tmp/arrowenv && /tmp/arrowenv/bin/pip install pyarrow numpy
    /tmp/arrowenv/bin/python Benchmarks/arrow_write.py [DIRECTORY [ENTITIES [RUNS]]]
"""

import json
import os
import sys
import time

import numpy as np
import pyarrow as pa


def main() -> None:
    directory = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    entities = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    generator = np.random.default_rng(42)
    columns = {"id": pa.array(np.arange(1, entities + 1, dtype=np.uint64))}
    for name in ["x", "y", "z", "vx", "vy", "vz", "health"]:
        columns[name] = pa.array(generator.random(entities, dtype=np.float32))
    table = pa.table(columns)
    target = os.path.join(directory, "arrow-write.arrow")
    temporary = target + ".tmp"
    times = []
    for _ in range(runs):
        for path in (target, temporary):
            if os.path.exists(path):
                os.unlink(path)
        os.sync()
        start = time.perf_counter()
        with pa.OSFile(temporary, "wb") as sink:
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
        os.rename(temporary, target)
        times.append((time.perf_counter() - start) * 1000)
    size = os.path.getsize(target)
    os.unlink(target)
    times.sort()
    print(json.dumps({"writer": "arrow-ipc", "pyarrow": pa.__version__, "entities": entities, "bytes": size,
                      "write_ms": round(times[len(times) // 2], 2)}))


if __name__ == "__main__":
    main()
