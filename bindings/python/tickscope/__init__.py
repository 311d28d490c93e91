"""Record a numpy simulation into a Tickscope checkpoint store, and read
checkpoints back (to resume from a fork made in the debugger).

A thin layer over libtickscope (include/tickscope.h) through ctypes: columns
go to and from numpy arrays as whole buffers, with no Python work per
element.

    import numpy as np, tickscope

    with tickscope.Recorder("runs/mine", {"Position": {"x": np.float32, "y": np.float32}}) as rec:
        for tick in range(100):
            step(world)
            rec.record(tick, [tickscope.Archetype(["Position"], world.ids,
                                                  {"Position.x": world.x, "Position.y": world.y})])

    with tickscope.Store("runs/mine") as store:
        world = store.read("main")          # the branch's last checkpoint
        ids, x = world.ids("Position"), world.field("Position", "x")

The library is found through the TICKSCOPE_LIBRARY environment variable (a
path to libtickscope.so), then beside this package (copied there by `make
sdk`), then on the system's library path.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import weakref
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

__all__ = ["Archetype", "Recorder", "Store", "World", "TickscopeError"]

# ts_type codes and the numpy dtypes they take and give.
_TYPES: Dict[np.dtype, int] = {
    np.dtype(np.bool_): 1,
    np.dtype(np.int8): 2, np.dtype(np.int16): 3, np.dtype(np.int32): 4, np.dtype(np.int64): 5,
    np.dtype(np.uint8): 6, np.dtype(np.uint16): 7, np.dtype(np.uint32): 8, np.dtype(np.uint64): 9,
    np.dtype(np.float32): 10, np.dtype(np.float64): 11,
}
_DTYPES = {code: dtype for dtype, code in _TYPES.items()}


class TickscopeError(RuntimeError):
    """A call into libtickscope failed; the message names what is wrong."""


def _load() -> ctypes.CDLL:
    candidates = []
    if os.environ.get("TICKSCOPE_LIBRARY"):
        candidates.append(os.environ["TICKSCOPE_LIBRARY"])
    candidates.append(os.path.join(os.path.dirname(__file__), "_lib", "libtickscope.so"))
    found = ctypes.util.find_library("tickscope")
    if found:
        candidates.append(found)
    for path in candidates:
        if path and (os.path.exists(path) or "/" not in path):
            return ctypes.CDLL(path)
    raise ImportError("libtickscope.so not found: build it with `make sdk`, or set TICKSCOPE_LIBRARY to its path")


_lib = _load()
_lib.ts_abi_version.argtypes, _lib.ts_abi_version.restype = [], ctypes.c_uint32
_p, _c = ctypes.c_void_p, ctypes.c_char_p
_size, _u64, _i32 = ctypes.c_size_t, ctypes.c_uint64, ctypes.c_int32
if _lib.ts_abi_version() >> 16 != 1 or _lib.ts_abi_version() < 0x10100:
    raise ImportError(f"libtickscope's interface is version {_lib.ts_abi_version():#x}; this package needs 1.1 or a later 1.x")
for _name, _args, _result in [
    ("ts_abi_version", [], ctypes.c_uint32),
    ("ts_last_error", [], _c),
    ("ts_recorder_open", [_c, _c, _c, _u64, ctypes.POINTER(_p)], _i32),
    ("ts_recorder_declare", [_p, _c, _size, ctypes.POINTER(_c), ctypes.POINTER(_i32)], _i32),
    ("ts_frame_begin", [_p, _u64, ctypes.c_double], _i32),
    ("ts_frame_archetype", [_p, _size, ctypes.POINTER(_c), _p, _size], _i32),
    ("ts_frame_column", [_p, _c, _c, _p, _size, _size], _i32),
    ("ts_frame_column_lent", [_p, _c, _c, _p, _size, _size], _i32),
    ("ts_frame_commit", [_p], _i32),
    ("ts_recorder_flush", [_p], _i32),
    ("ts_recorder_close", [_p], _i32),
    ("ts_store_open", [_c, _c, ctypes.POINTER(_p)], _i32),
    ("ts_store_branch_count", [_p], _size),
    ("ts_store_branch_name", [_p, _size], _c),
    ("ts_store_checkpoints", [_p, _c, _p, _p, _size, ctypes.POINTER(_size)], _i32),
    ("ts_store_read", [_p, _c, _u64, ctypes.POINTER(_p)], _i32),
    ("ts_store_read_tick", [_p, _c, _u64, ctypes.POINTER(_p)], _i32),
    ("ts_store_close", [_p], None),
    ("ts_world_checkpoint", [_p], _u64),
    ("ts_world_tick", [_p], _u64),
    ("ts_world_time", [_p], ctypes.c_double),
    ("ts_world_count", [_p, _c], _size),
    ("ts_world_field_type", [_p, _c, _c], ctypes.c_int),
    ("ts_world_ids", [_p, _c, _p, _size], _i32),
    ("ts_world_read_field", [_p, _c, _c, _i32, _p, _size, _size], _i32),
    ("ts_world_free", [_p], None),
]:
    _function = getattr(_lib, _name)
    _function.argtypes, _function.restype = _args, _result



def _check(status: int) -> None:
    if status != 0:
        raise TickscopeError(_lib.ts_last_error().decode("utf-8", "replace"))


def _path(value: "os.PathLike[str] | str | None") -> Optional[bytes]:
    return None if value is None else os.fsencode(value)


@dataclass
class Archetype:
    """The entities that have exactly `components`: their ids, and one array
    per field keyed "Component.field", each as long as `ids`."""
    components: Sequence[str]
    ids: np.ndarray
    columns: Mapping[str, np.ndarray] = field(default_factory=dict)


def _close_forgotten_recorder(handle: int, path: str) -> None:
    if _lib.ts_recorder_close(handle) != 0:
        message = _lib.ts_last_error().decode(errors="replace")
        print(f"tickscope: {path}: closing a recorder that was never closed: {message}", file=sys.stderr)


class Recorder:
    """Records one world a tick into a store (created when missing).

    `schema` maps each component to its fields and their numpy dtypes. Frames
    are handed to a writer thread; `flush()` returns when every recorded
    frame is durable (survives kill -9). Use as a context manager, or call
    `close()`, which flushes. A recorder that is never closed is closed
    (flushed) when it is garbage-collected or when the interpreter exits, so
    forgetting `close()` loses nothing; only kill -9 before a flush does.

    >>> with Recorder("runs/demo", {"Health": {"value": np.float32}}) as rec:
    ...     rec.record(0, [Archetype(["Health"], np.array([1, 2], np.uint64),
    ...                              {"Health.value": np.array([10, 20], np.float32)})])
    """

    def __init__(self, path: "os.PathLike[str] | str", schema: Mapping[str, Mapping[str, "np.typing.DTypeLike"]],
                 branch: str = "main", key_file: "os.PathLike[str] | str | None" = None, queue_limit_bytes: int = 0):
        handle = _p()
        _check(_lib.ts_recorder_open(_path(path), branch.encode(), _path(key_file), queue_limit_bytes, ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value
        # Closes the handle if the program forgets to: at garbage collection
        # or at interpreter exit (weakref.finalize runs atexit).
        self._finalizer = weakref.finalize(self, _close_forgotten_recorder, handle.value, os.fspath(path))
        self._types: Dict[str, np.dtype] = {}
        self._lent: List[np.ndarray] = []
        for component, fields in schema.items():
            names = [name.encode() for name in fields]
            dtypes = [np.dtype(dtype) for dtype in fields.values()]
            for name, dtype in zip(fields, dtypes):
                if dtype not in _TYPES:
                    self.close()
                    raise TickscopeError(f"{component}.{name}: dtype {dtype} has no Tickscope type")
                self._types[f"{component}.{name}"] = dtype
            _check(_lib.ts_recorder_declare(self._handle, component.encode(), len(names), (_c * len(names))(*names),
                                            (_i32 * len(names))(*[_TYPES[d] for d in dtypes])))

    def record(self, tick: int, archetypes: Iterable[Archetype], world_time: Optional[float] = None,
               lend: bool = False) -> None:
        """Hands one tick's whole world over; waits while the writer's queue
        is full. A frame with a missing field, a wrong length or dtype, or a
        repeated id is refused whole (TickscopeError) and nothing of it is
        recorded.

        With `lend=True` the column arrays are not copied now but read by the
        writer thread (ts_frame_column_lent): leave them unchanged until the
        next `record`, `flush()` or `close()` returns. For simulations that
        keep two sets of arrays and compute each tick into the other one;
        one that changes its arrays in place must not lend them."""
        handle = self._live()
        _check(_lib.ts_frame_begin(handle, tick, float(tick) if world_time is None else world_time))
        keep = []  # the arrays must live until their values are copied, or while they are lent
        set_column = _lib.ts_frame_column_lent if lend else _lib.ts_frame_column
        for archetype in archetypes:
            names = [name.encode() for name in archetype.components]
            ids = np.ascontiguousarray(archetype.ids, dtype=np.uint64)
            keep.append(ids)
            _check(_lib.ts_frame_archetype(handle, len(names), (_c * len(names))(*names), ids.ctypes.data, len(ids)))
            for key, values in archetype.columns.items():
                component, _, name = key.partition(".")
                array = np.asarray(values)
                expected = self._types.get(key)
                if expected is not None and array.dtype != expected:
                    raise TickscopeError(f"{key} is {expected}, the array is {array.dtype}")
                if array.ndim != 1:
                    raise TickscopeError(f"{key}: a column is one-dimensional, the array has shape {array.shape}")
                keep.append(array)
                # Strided arrays (a field of a structured array, a slice) go as they are.
                stride = array.strides[0] if len(array) > 1 else 0
                if stride < 0:
                    array = np.ascontiguousarray(array)
                    keep.append(array)
                    stride = 0
                _check(set_column(handle, component.encode(), name.encode(), array.ctypes.data, len(array), stride))
        status = _lib.ts_frame_commit(handle)
        # The last frame's loan ended with this commit; this frame's starts if it was taken.
        self._lent = keep if lend and status == 0 else []
        _check(status)

    def flush(self) -> None:
        """Returns when every frame recorded so far is durable."""
        _check(_lib.ts_recorder_flush(self._live()))
        self._lent = []

    def close(self) -> None:
        """Flushes and releases the store. Calling it again does nothing."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            self._finalizer.detach()
            try:
                _check(_lib.ts_recorder_close(handle))
            finally:
                self._lent = []

    def _live(self) -> int:
        if self._handle is None:
            raise TickscopeError("the recorder is closed")
        return self._handle

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class World:
    """One checkpoint's world, read whole."""

    def __init__(self, handle: int):
        self._handle = handle

    @property
    def checkpoint(self) -> int:
        return _lib.ts_world_checkpoint(self._handle)

    @property
    def tick(self) -> int:
        return _lib.ts_world_tick(self._handle)

    @property
    def time(self) -> float:
        return _lib.ts_world_time(self._handle)

    def count(self, component: str) -> int:
        """How many entities have `component`."""
        return _lib.ts_world_count(self._handle, component.encode())

    def ids(self, component: str) -> np.ndarray:
        """The ids of the entities that have `component`, in stored order."""
        out = np.empty(self.count(component), np.uint64)
        _check(_lib.ts_world_ids(self._handle, component.encode(), out.ctypes.data, len(out)))
        return out

    def field(self, component: str, name: str) -> np.ndarray:
        """One field's values, in the order of `ids(component)`, as an array
        of the field's own dtype."""
        code = _lib.ts_world_field_type(self._handle, component.encode(), name.encode())
        if code not in _DTYPES:
            raise TickscopeError(f"the world has no numeric field {component}.{name}")
        out = np.empty(self.count(component), _DTYPES[code])
        _check(_lib.ts_world_read_field(self._handle, component.encode(), name.encode(), code, out.ctypes.data, len(out), 0))
        return out

    def close(self) -> None:
        if self._handle is not None:
            _lib.ts_world_free(self._handle)
            self._handle = None

    def __del__(self) -> None:
        self.close()


class Store:
    """A store opened for reading: its branches, their checkpoints, and any
    checkpoint's world. Any recording Tickscope reads opens the same way (a
    snapshot file, tx2-pack, PECS, TKSN, an XS package, JSON Lines: its
    worlds are the branch "main"). A context manager."""

    def __init__(self, path: "os.PathLike[str] | str", key_file: "os.PathLike[str] | str | None" = None):
        handle = _p()
        _check(_lib.ts_store_open(_path(path), _path(key_file), ctypes.byref(handle)))
        self._handle: Optional[int] = handle.value

    @property
    def branches(self) -> List[str]:
        count = _lib.ts_store_branch_count(self._handle)
        return [_lib.ts_store_branch_name(self._handle, i).decode() for i in range(count)]

    def checkpoints(self, branch: str = "main") -> List[Tuple[int, int]]:
        """(checkpoint id, tick) of each checkpoint on the timeline of
        `branch`: a fork's begins with those up to its fork point."""
        count = _size()
        _check(_lib.ts_store_checkpoints(self._handle, branch.encode(), None, None, 0, ctypes.byref(count)))
        ids, ticks = np.empty(count.value, np.uint64), np.empty(count.value, np.uint64)
        _check(_lib.ts_store_checkpoints(self._handle, branch.encode(), ids.ctypes.data, ticks.ctypes.data, count.value, ctypes.byref(count)))
        return list(zip(ids.tolist(), ticks.tolist()))

    def read(self, branch: str = "main", tick: Optional[int] = None, checkpoint: int = 0) -> World:
        """A world of `branch`: the one at `tick` on its timeline, or the
        checkpoint with id `checkpoint`, or (neither given) the branch's
        last, where a simulation resumes from."""
        handle = _p()
        if tick is not None:
            _check(_lib.ts_store_read_tick(self._handle, branch.encode(), tick, ctypes.byref(handle)))
        else:
            _check(_lib.ts_store_read(self._handle, branch.encode(), checkpoint, ctypes.byref(handle)))
        return World(handle.value)

    def close(self) -> None:
        if self._handle is not None:
            _lib.ts_store_close(self._handle)
            self._handle = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
