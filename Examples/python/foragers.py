"""foragers: a numpy simulation recorded with the tickscope package.

Foragers wander a 100 x 100 field and burn energy as they move; whoever runs
low is fed. Energy should never drop below zero, yet it does: a bug is
planted in `feed` for you to find with the debugger
(`tickscope open STORE`, then `/` and `Energy.value < 0`).

    python3 foragers.py STORE [--ticks N] [--branch B]   record N ticks on B
                                                          (resuming a branch
                                                          that has checkpoints)
    python3 foragers.py STORE --check B                   replay B and compare

Every 10 ticks it flushes and prints "durable TICK".
"""
import argparse
import sys

import numpy as np

import tickscope

COUNT = 500
SCHEMA = {
    "Position": {"x": np.float32, "y": np.float32},
    "Velocity": {"dx": np.float32, "dy": np.float32},
    "Energy": {"value": np.float32},
}


class World:
    def __init__(self) -> None:
        rng = np.random.default_rng(7)
        self.tick = 0
        self.ids = np.arange(1, COUNT + 1, dtype=np.uint64)
        self.x = rng.uniform(0, 100, COUNT).astype(np.float32)
        self.y = rng.uniform(0, 100, COUNT).astype(np.float32)
        self.dx = rng.uniform(-1, 1, COUNT).astype(np.float32)
        self.dy = rng.uniform(-1, 1, COUNT).astype(np.float32)
        self.energy = rng.uniform(20, 40, COUNT).astype(np.float32)

    def step(self) -> None:
        self.x += self.dx
        self.y += self.dy
        bounce_x = (self.x < 0) | (self.x > 100)
        bounce_y = (self.y < 0) | (self.y > 100)
        self.dx[bounce_x] *= np.float32(-1)
        self.dy[bounce_y] *= np.float32(-1)
        speed = np.sqrt(self.dx * self.dx + self.dy * self.dy)
        self.energy -= np.float32(0.5) * speed
        self.feed()
        self.tick += 1

    def feed(self) -> None:
        hungry = np.flatnonzero(self.energy < 5)
        # The planted bug: the meal goes to the next forager in the array, not the hungry one.
        self.energy[(hungry + 1) % COUNT] += np.float32(30)

    def archetypes(self):
        columns = {"Position.x": self.x, "Position.y": self.y, "Velocity.dx": self.dx, "Velocity.dy": self.dy,
                   "Energy.value": self.energy}
        return [tickscope.Archetype(["Position", "Velocity", "Energy"], self.ids, columns)]

    def restore(self, world: "tickscope.World") -> None:
        order = np.argsort(world.ids("Energy"))
        self.ids = world.ids("Energy")[order]
        self.x, self.y = world.field("Position", "x")[order], world.field("Position", "y")[order]
        self.dx, self.dy = world.field("Velocity", "dx")[order], world.field("Velocity", "dy")[order]
        self.energy = world.field("Energy", "value")[order]
        self.tick = world.tick

    def same_as(self, other: "World") -> bool:
        return self.tick == other.tick and all(
            np.array_equal(getattr(self, name).view(np.uint8), getattr(other, name).view(np.uint8))
            for name in ("ids", "x", "y", "dx", "dy", "energy"))


def record(path: str, ticks: int, branch: str) -> None:
    world = World()
    resumed = False
    try:
        with tickscope.Store(path) as store:
            if branch in store.branches:
                world.restore(store.read(branch))
                resumed = True
    except tickscope.TickscopeError:
        pass  # no store yet: it is created below
    with tickscope.Recorder(path, SCHEMA, branch=branch) as recorder:
        if not resumed:
            recorder.record(world.tick, world.archetypes())
        for _ in range(ticks):
            world.step()
            recorder.record(world.tick, world.archetypes())
            if world.tick % 10 == 0:
                recorder.flush()
                print(f"durable {world.tick}", flush=True)
    print(f"recorded {path}@{branch} up to tick {world.tick}")


def check(path: str, branch: str) -> int:
    with tickscope.Store(path) as store:
        checkpoints = store.checkpoints(branch)
        expected, got = World(), World()
        expected.restore(store.read(branch, checkpoint=checkpoints[0][0]))
        for checkpoint, tick in checkpoints:
            got.restore(store.read(branch, checkpoint=checkpoint))
            if tick != expected.tick or not got.same_as(expected):
                print(f"foragers: c{checkpoint} (tick {tick}) differs from the replay at tick {expected.tick}", file=sys.stderr)
                return 1
            expected.step()
    print(f"{path}@{branch}: {len(checkpoints)} checkpoints match the replay")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--ticks", type=int, default=200)
    parser.add_argument("--branch", default="main")
    parser.add_argument("--check", metavar="BRANCH")
    args = parser.parse_args()
    if args.check:
        return check(args.store, args.check)
    record(args.store, args.ticks, args.branch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
