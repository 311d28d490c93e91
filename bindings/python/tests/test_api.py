"""The Python package as its users call it, and the C interface's checks
through it: values round-trip exactly, a bad frame commits nothing, errors
name what is wrong. Run: python -m unittest discover bindings/python/tests
(TICKSCOPE_LIBRARY names libtickscope.so)."""
import ctypes
import os
import shutil
import tempfile
import unittest

import numpy as np

import tickscope
from tickscope import Archetype, Recorder, Store, TickscopeError

SCHEMA = {"Body": {"x": np.float32, "mass": np.float64, "alive": np.bool_}, "Tag": {"kind": np.uint16}}


def frame(seed: int, n: int = 50):
    rng = np.random.default_rng(seed)
    ids = np.arange(10, 10 + n, dtype=np.uint64)
    x = rng.standard_normal(n).astype(np.float32)
    x[:4] = [np.nan, np.inf, -0.0, np.finfo(np.float32).tiny / 2]
    body = {"Body.x": x, "Body.mass": rng.uniform(0, 1e300, n), "Body.alive": rng.integers(0, 2, n).astype(np.bool_)}
    tagged = {"Body.x": x[:10].copy(), "Body.mass": np.zeros(10), "Body.alive": np.ones(10, np.bool_),
              "Tag.kind": np.arange(10, dtype=np.uint16) * 6000}
    return [Archetype(["Body"], ids, body), Archetype(["Tag", "Body"], np.arange(1000, 1010, dtype=np.uint64), tagged)]


class APITests(unittest.TestCase):
    def setUp(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tickscope-py-")
        self.path = os.path.join(self.folder, "store")

    def tearDown(self) -> None:
        shutil.rmtree(self.folder)

    def test_round_trip(self) -> None:
        frames = [frame(seed) for seed in range(5)]
        with Recorder(self.path, SCHEMA) as recorder:
            for tick, archetypes in enumerate(frames):
                recorder.record(tick * 2, archetypes, world_time=tick * 0.5)
        with Store(self.path) as store:
            self.assertEqual(store.branches, ["main"])
            checkpoints = store.checkpoints("main")
            self.assertEqual([tick for _, tick in checkpoints], [0, 2, 4, 6, 8])
            for (checkpoint, tick), archetypes in zip(checkpoints, frames):
                world = store.read("main", checkpoint=checkpoint)
                self.assertEqual((world.checkpoint, world.tick, world.time), (checkpoint, tick, tick / 4))
                self.assertEqual(world.count("Body"), 60)
                self.assertEqual(world.count("Tag"), 10)
                ids = np.concatenate([a.ids for a in archetypes])
                order = np.argsort(world.ids("Body"))
                self.assertTrue(np.array_equal(np.sort(world.ids("Body")), np.sort(ids)))
                for key in ("x", "mass", "alive"):
                    expected = np.concatenate([a.columns["Body." + key] for a in archetypes])[np.argsort(ids)]
                    got = world.field("Body", key)[order]
                    self.assertEqual(got.dtype, expected.dtype)
                    self.assertEqual(got.tobytes(), expected.tobytes(), key)  # bit for bit: NaN, -0, subnormals
                self.assertTrue(np.array_equal(world.field("Tag", "kind"), archetypes[1].columns["Tag.kind"]))
            last = store.read("main")
            self.assertEqual(last.tick, 8)
            at_tick = store.read("main", tick=4)
            self.assertEqual((at_tick.tick, at_tick.checkpoint), (4, checkpoints[2][0]))
            with self.assertRaisesRegex(TickscopeError, "no checkpoint at tick 5 on main"):
                store.read("main", tick=5)

    def test_arrays_changed_in_place_between_frames(self) -> None:
        # Unchanged columns are shared with the frame before; a changed one never is.
        archetypes = frame(3)
        x = archetypes[0].columns["Body.x"]
        expected = []
        with Recorder(self.path, SCHEMA) as recorder:
            for tick in range(4):
                if tick in (1, 3):
                    x[tick] += 1  # the same array, changed in place after it was recorded
                recorder.record(tick, archetypes)
                expected.append(x.copy())
        with Store(self.path) as store:
            for (checkpoint, tick), want in zip(store.checkpoints(), expected):
                world = store.read("main", checkpoint=checkpoint)
                ids = world.ids("Body")
                got = world.field("Body", "x")[np.isin(ids, archetypes[0].ids)]
                self.assertEqual(got.tobytes(), want.tobytes(), f"tick {tick}")

    def test_lent_frames_double_buffered(self) -> None:
        # Two sets of arrays, each tick computed into the one not lent; a lent array is scribbled over
        # (and freed) as soon as its loan is over, and the store still has the values it was lent with.
        sets = [frame(1), frame(1)]
        expected = []
        with Recorder(self.path, SCHEMA) as recorder:
            for tick in range(12):
                current, other = sets[tick % 2], sets[(tick + 1) % 2]
                for new, old in zip(current, other):
                    for key, values in new.columns.items():
                        values[:] = old.columns[key]
                    if tick % 3 == 0:  # some frames change nothing in a column: shared, not copied, by the writer
                        new.columns["Body.x"][tick] += 1
                    new.columns["Body.mass"][tick % 10] = tick
                expected.append([{key: values.copy() for key, values in a.columns.items()} for a in current])
                recorder.record(tick, current, lend=True)
                for a in other:  # lent by the previous record, whose loan ended when this one returned
                    for values in a.columns.values():
                        values.fill(0 if values.dtype == np.bool_ else 7)
            strided = np.zeros(50, dtype=[("x", np.float32), ("mass", np.float64), ("alive", np.bool_)])
            strided["x"], strided["mass"] = np.arange(50), np.arange(50) * 0.25
            columns = {"Body.x": strided["x"], "Body.mass": strided["mass"], "Body.alive": strided["alive"]}
            recorder.record(12, [Archetype(["Body"], np.arange(10, 60, dtype=np.uint64), columns)], lend=True)
            recorder.flush()  # ends the last loan
            strided["x"] = -1
        with Store(self.path) as store:
            checkpoints = store.checkpoints()
            self.assertEqual([tick for _, tick in checkpoints], list(range(13)))
            for (checkpoint, tick), want in zip(checkpoints, expected):
                world = store.read("main", checkpoint=checkpoint)
                ids = world.ids("Body")
                for key in ("x", "mass", "alive"):
                    got = world.field("Body", key)
                    for archetype, values in zip(sets[0], want):
                        part = got[np.isin(ids, archetype.ids)]
                        self.assertEqual(part.tobytes(), values["Body." + key].tobytes(), f"tick {tick} {key}")
            last = store.read("main")
            self.assertTrue(np.array_equal(last.field("Body", "x"), np.arange(50, dtype=np.float32)))
            self.assertTrue(np.array_equal(last.field("Body", "mass"), np.arange(50) * 0.25))

    def test_lent_bool_values_are_checked_at_once(self) -> None:
        archetypes = frame(2)
        archetypes[0].columns["Body.alive"] = np.full(50, 2, np.uint8).view(np.bool_)
        with Recorder(self.path, SCHEMA) as recorder:
            with self.assertRaisesRegex(TickscopeError, "Body.alive: .*bool byte is not 0 or 1"):
                recorder.record(0, archetypes, lend=True)
            recorder.record(1, frame(3), lend=True)
        with Store(self.path) as store:
            self.assertEqual([tick for _, tick in store.checkpoints()], [1])

    def test_strided_columns(self) -> None:
        table = np.zeros(20, dtype=[("x", np.float32), ("mass", np.float64), ("alive", np.bool_)])
        table["x"] = np.arange(20)
        table["mass"] = np.arange(20) * 2.5
        with Recorder(self.path, SCHEMA) as recorder:
            recorder.record(0, [Archetype(["Body"], np.arange(20, dtype=np.uint64),
                                          {"Body.x": table["x"], "Body.mass": table["mass"], "Body.alive": table["alive"]})])
        with Store(self.path) as store:
            world = store.read()
            self.assertTrue(np.array_equal(world.field("Body", "mass"), table["mass"]))
            self.assertTrue(np.array_equal(world.field("Body", "x"), table["x"]))

    def test_bad_frames_commit_nothing(self) -> None:
        good = frame(1)
        bad = [
            ("a missing field", [Archetype(["Body"], np.arange(3, dtype=np.uint64),
                                           {"Body.x": np.zeros(3, np.float32), "Body.mass": np.zeros(3)})], "no values for Body.alive"),
            ("a short column", [Archetype(["Body"], np.arange(3, dtype=np.uint64),
                                          {"Body.x": np.zeros(2, np.float32), "Body.mass": np.zeros(3), "Body.alive": np.zeros(3, np.bool_)})],
             "2 values for an archetype of 3 entities"),
            ("a wrong dtype", [Archetype(["Body"], np.arange(3, dtype=np.uint64),
                                         {"Body.x": np.zeros(3), "Body.mass": np.zeros(3), "Body.alive": np.zeros(3, np.bool_)})],
             "Body.x is float32"),
            ("a repeated id", [Archetype(["Body"], np.array([1, 1], np.uint64),
                                         {"Body.x": np.zeros(2, np.float32), "Body.mass": np.zeros(2), "Body.alive": np.zeros(2, np.bool_)})],
             "twice"),
            ("an unknown component", [Archetype(["Nope"], np.arange(1, dtype=np.uint64), {})], "component Nope is not declared"),
        ]
        with Recorder(self.path, SCHEMA) as recorder:
            recorder.record(0, good)
            for name, archetypes, message in bad:
                with self.assertRaises(TickscopeError, msg=name) as caught:
                    recorder.record(1, archetypes)
                self.assertIn(message, str(caught.exception), name)
            recorder.record(2, good)
        with Store(self.path) as store:
            self.assertEqual([tick for _, tick in store.checkpoints()], [0, 2])

    def test_an_id_repeated_across_archetypes_is_refused_even_when_one_kept_its_ids(self) -> None:
        # The uniqueness of a frame whose every archetype kept its committed
        # ids is not checked again; one new archetype brings the check back.
        body, tagged = frame(1)
        overlapping = Archetype(["Tag", "Body"], body.ids[:10].copy(), tagged.columns)
        with Recorder(self.path, SCHEMA) as recorder:
            recorder.record(0, [body])
            recorder.record(1, [body])  # the same ids, checked once already
            with self.assertRaisesRegex(TickscopeError, "appears twice"):
                recorder.record(2, [body, overlapping])
            recorder.record(3, [body, tagged])
        with Store(self.path) as store:
            self.assertEqual([tick for _, tick in store.checkpoints()], [0, 1, 3])

    def test_errors_name_what_is_wrong(self) -> None:
        lib = tickscope._lib
        out = ctypes.c_void_p()
        self.assertEqual(lib.ts_recorder_open(None, None, None, 0, ctypes.byref(out)), 1)
        self.assertEqual(lib.ts_last_error(), b"path is NULL")
        self.assertEqual(lib.ts_frame_commit(None), 1)
        self.assertIn(b"handle is NULL", lib.ts_last_error())
        recorder = Recorder(self.path, SCHEMA)
        handle = recorder._handle
        self.assertEqual(lib.ts_frame_commit(handle), 3)
        self.assertIn(b"no frame begun", lib.ts_last_error())
        recorder.close()
        self.assertEqual(lib.ts_frame_begin(handle, 0, 0.0), 3)
        self.assertIn(b"closed", lib.ts_last_error())
        with self.assertRaises(TickscopeError):
            recorder.record(0, frame(0))
        # Handles are never given out twice, so a stale one never reaches a
        # recorder or store opened after it was closed (the allocator does
        # reuse the addresses: before handles were serial numbers, 74 of
        # these 80 collided).
        given = [handle]
        for index in range(40):
            other = Recorder(os.path.join(self.folder, f"other-{index}"), SCHEMA)
            given.append(other._handle)
            self.assertEqual(lib.ts_frame_begin(handle, 0, 0.0), 3)
            other.close()
            with Store(os.path.join(self.folder, f"other-{index}")) as store:
                given.append(store._handle)
        self.assertEqual(len(set(given)), len(given))
        with self.assertRaisesRegex(TickscopeError, "missing: No such file"):
            Store(os.path.join(self.folder, "missing"))
        with Store(self.path) as store, self.assertRaisesRegex(TickscopeError, "nope"):
            store.read("nope")
        with self.assertRaisesRegex(TickscopeError, "branch name"):
            Recorder(os.path.join(self.folder, "other"), SCHEMA, branch="a@b")

    def test_a_recorder_never_closed_is_flushed_at_exit(self) -> None:
        # The program forgets close() and ends normally: every frame is kept.
        import subprocess
        import sys
        script = (
            "import sys, numpy as np\n"
            "from tickscope import Archetype, Recorder\n"
            "rec = Recorder(sys.argv[1], {'Tag': {'kind': np.uint16}})\n"
            "for tick in range(30):\n"
            "    rec.record(tick, [Archetype(['Tag'], np.arange(1000, dtype=np.uint64),\n"
            "                                {'Tag.kind': np.full(1000, tick, np.uint16)})])\n")
        subprocess.run([sys.executable, "-c", script, self.path], check=True, env=os.environ.copy())
        with Store(self.path) as store:
            self.assertEqual([tick for _, tick in store.checkpoints()], list(range(30)))
            self.assertTrue((store.read(tick=29).field("Tag", "kind") == 29).all())

    def test_other_formats_read_as_a_store(self) -> None:
        # The sample snapshot file (W2, 1,000 entities) opens like a store: one checkpoint on main.
        sample = os.path.join(os.path.dirname(__file__), "..", "..", "..", "SampleWorlds", "swarm-1000.tscp")
        with Store(sample) as store:
            self.assertEqual(store.branches, ["main"])
            self.assertEqual(len(store.checkpoints()), 1)
            world = store.read()
            self.assertEqual(world.count("Position"), 1000)
            self.assertEqual(len(world.field("Position", "x")), 1000)

    def test_a_failed_call_spoils_its_frame(self) -> None:
        # A C caller that ignores one failed call still cannot commit half a frame.
        lib = tickscope._lib
        with Recorder(self.path, {"Tag": {"kind": np.uint16}}) as recorder:
            handle = recorder._handle
            ids = np.arange(3, dtype=np.uint64)
            kinds = np.arange(3, dtype=np.uint16)
            names = (ctypes.c_char_p * 1)(b"Tag")
            self.assertEqual(lib.ts_frame_begin(handle, 5, 0.0), 0)
            self.assertEqual(lib.ts_frame_archetype(handle, 1, names, ids.ctypes.data, 3), 0)
            self.assertEqual(lib.ts_frame_column(handle, b"Tag", b"nope", kinds.ctypes.data, 3, 0), 1)
            self.assertEqual(lib.ts_frame_column(handle, b"Tag", b"kind", kinds.ctypes.data, 3, 0), 0)
            self.assertEqual(lib.ts_frame_commit(handle), 1)
            self.assertIn(b"frame of tick 5 dropped", lib.ts_last_error())
            self.assertIn(b"no field nope", lib.ts_last_error())
            recorder.record(6, [Archetype(["Tag"], ids, {"Tag.kind": kinds})])
        with Store(self.path) as store:
            self.assertEqual([tick for _, tick in store.checkpoints()], [6])

    def test_back_pressure_and_flush(self) -> None:
        # A queue limit below one frame: every record waits for the one before; all arrive.
        with Recorder(self.path, SCHEMA, queue_limit_bytes=1) as recorder:
            for tick in range(20):
                recorder.record(tick, frame(tick))
            recorder.flush()
            with Store(self.path) as store:
                self.assertEqual(len(store.checkpoints()), 20)


if __name__ == "__main__":
    unittest.main()
