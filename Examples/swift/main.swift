// herd: a Swift simulation recorded with the TickscopeRecorder library.
//
// Grazers wander a 64 x 64 meadow eating grass; each tick costs energy,
// grazing gives some back. Energy should stay between 0 and 100, yet it
// overflows: a bug is planted in `graze` for you to find with the debugger
// (`tickscope open STORE`, then `/` and `Energy.value > 100`).
//
//     herd STORE [TICKS] [BRANCH]   record TICKS ticks on BRANCH (default main),
//                                   resuming the branch when it has checkpoints
//     herd STORE --check BRANCH     replay BRANCH from its first tick and compare
//
// Every 10 ticks it flushes and prints "durable TICK".

import PackCodec
import TickscopeRecorder

#if canImport(Glibc)
import Glibc
#endif

let count = 400
let schema = Schema(components: [
    ComponentType(name: "Position", fields: [Field("x", .float32), Field("y", .float32)]),
    ComponentType(name: "Energy", fields: [Field("value", .float32)]),
])

/// The herd: plain arrays, one per field, as a simulation keeps them.
struct Herd {
    var tick: UInt64 = 0
    var ids: [EntityID] = (1...UInt64(count)).map(EntityID.init(rawValue:))
    var x: [Float] = [], y: [Float] = [], energy: [Float] = []
    var random: UInt64 = 0x9E37_79B9

    init() {
        for _ in 0..<count {
            x.append(next() * 64)
            y.append(next() * 64)
            energy.append(40 + next() * 20)
        }
    }

    /// Carries on from a recorded (possibly edited) world.
    init(restoring world: Snapshot) {
        let herd = world.archetypes[0]
        tick = world.resources.tick
        random = UInt64(world.resources.custom["random"] ?? "") ?? random
        ids = herd.entities
        x = herd.columns[0].values(as: Float.self)
        y = herd.columns[1].values(as: Float.self)
        energy = herd.columns[2].values(as: Float.self)
    }

    /// A number in 0 ..< 1 from a xorshift generator.
    mutating func next() -> Float {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Float(random >> 40) / Float(1 << 24)
    }

    mutating func step() {
        for i in ids.indices {
            x[i] = (x[i] + next() * 2 - 1 + 64).truncatingRemainder(dividingBy: 64)
            y[i] = (y[i] + next() * 2 - 1 + 64).truncatingRemainder(dividingBy: 64)
            energy[i] -= 1.5
            graze(i)
        }
        tick += 1
    }

    /// Grass in the meadow's middle band feeds a grazer.
    mutating func graze(_ i: Int) {
        guard y[i] > 24, y[i] < 40 else { return }
        // The planted bug: the cap is applied before the meal, not after.
        energy[i] = min(energy[i], 100) + 3
    }

    var world: Snapshot {
        Snapshot(schema: schema,
                 archetypes: [Archetype(components: schema.components, entities: ids, columns: [Column(x), Column(y), Column(energy)])],
                 resources: Resources(tick: tick, worldTime: Double(tick) / 10, custom: ["random": String(random)]),
                 metadata: ["simulation": "herd"])
    }
}

func fail(_ text: String) -> Never {
    let line = Array("herd: \(text)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: herd STORE [TICKS] [BRANCH] | herd STORE --check BRANCH") }
let path = arguments[1]

do {
    if arguments.count >= 4, arguments[2] == "--check" {
        // Replay from tick 0 and compare every recorded tick, bit for bit.
        let branch = arguments[3]
        let recorded = try RecordedStore(path: path)
        var herd = Herd()
        var matched = 0
        for tick in try recorded.ticks(of: branch) {
            while herd.tick < tick { herd.step() }
            let world = try recorded.world(branch: branch, tick: tick)
            guard world.archetypes == herd.world.archetypes else { fail("tick \(tick) differs from the replay") }
            matched += 1
        }
        print("\(matched) checkpoints match the replay")
    } else {
        let ticks = arguments.count >= 3 ? Int(arguments[2]) ?? 100 : 100
        let branch = arguments.count >= 4 ? arguments[3] : "main"
        // Resume a branch that has checkpoints (a fork made in the debugger, say); else start afresh.
        let start: Herd
        if let recorded = try? RecordedStore(path: path), recorded.branches.contains(branch), let world = try? recorded.resumeWorld(branch: branch) {
            start = Herd(restoring: world)
        } else {
            start = Herd()
        }
        var herd = start
        let recorder = try Recorder(store: path, branch: branch)
        if herd.tick == 0, (try? RecordedStore(path: path).ticks(of: branch).isEmpty) ?? true { try recorder.record(herd.world) }
        for _ in 0..<ticks {
            herd.step()
            try recorder.record(herd.world)
            if herd.tick % 10 == 0 {
                try recorder.flush()
                print("durable \(herd.tick)")
                fflush(nil)  // the line goes out now, even into a pipe
            }
        }
        try recorder.close()
        print("recorded \(path)@\(branch) up to tick \(herd.tick)")
    }
} catch {
    fail("\(path): \(error)")
}
