import PackCodec
import Timeline

/// Flocking: boids on a 256×256 torus steer toward the average heading and
/// centre of the boids in their 16×16 cell and away from any closer than 4.
/// Components: Position {x, y}, Velocity {vx, vy}, Heading {dx, dy} (the
/// unit vector of the velocity, derived: recomputed from Velocity whenever
/// a world is recorded; the recording's metadata says so). All arithmetic
/// is `Float`, in entity order, so a seed always gives the same bytes.
///
/// **The deliberate bug.** At tick 80 a hatchling joins the flock beside
/// boid 0, at rest: the hatchery forgets to give it a velocity. A heading
/// is the velocity divided by its length, with no guard for zero, so the
/// hatchling's heading is NaN; every boid of its cell averages that NaN
/// into its own steering, and from then on NaN spreads from boid to boid
/// (a NaN position falls into cell 0, and infects whoever passes through).
/// A fork at tick 80 that gives the hatchling any velocity and resumes
/// stays clean.
public struct Boids: Simulation {
    public static let name = "boids"
    static let size: Float = 256
    static let cells = 16
    /// The tick at whose step the hatchling arrives.
    static let hatchTick: UInt64 = 80

    public private(set) var tick: UInt64 = 0
    private let seed: UInt64
    private var random: SplitMix64
    private var ids: [UInt64]
    private var x: [Float], y: [Float], vx: [Float], vy: [Float]

    static let schema = Schema(components: [
        ComponentType(name: "Position", fields: [Field("x", .float32), Field("y", .float32)]),
        ComponentType(name: "Velocity", fields: [Field("vx", .float32), Field("vy", .float32)]),
        ComponentType(name: "Heading", fields: [Field("dx", .float32), Field("dy", .float32)]),
    ])

    /// `scale` is the number of boids (default 1,500).
    public init(seed: UInt64, scale: Int?) {
        self.seed = seed
        random = SplitMix64(state: seed)
        let count = scale ?? 1_500
        ids = (0..<UInt64(count)).map { $0 }
        x = []; y = []; vx = []; vy = []
        for _ in 0..<count {
            x.append(random.unitFloat() * Self.size)
            y.append(random.unitFloat() * Self.size)
            vx.append(random.unitFloat() * 2 - 1)
            vy.append(random.unitFloat() * 2 - 1)
        }
    }

    public init(resumingFrom world: Snapshot) throws(TimelineError) {
        guard let flock = world.archetype(ArchetypeSignature(Self.schema.components)) else {
            throw .invalidRequest("not a boids world: no Position + Velocity + Heading archetype")
        }
        tick = world.resources.tick
        seed = world.resources.seed
        random = SplitMix64(state: try world.resource("rng_state"))
        ids = flock.entities.map(\.rawValue)
        x = try world.floats("Position", "x", in: flock)
        y = try world.floats("Position", "y", in: flock)
        vx = try world.floats("Velocity", "vx", in: flock)
        vy = try world.floats("Velocity", "vy", in: flock)
    }

    public mutating func step() {
        tick += 1
        let cellSize = Self.size / Float(Self.cells)
        var members = [[Int]](repeating: [], count: Self.cells * Self.cells)
        func cell(_ i: Int) -> Int {
            // A position off the torus (NaN) counts in cell 0.
            guard x[i] >= 0, x[i] < Self.size, y[i] >= 0, y[i] < Self.size else { return 0 }
            let cx = min(Self.cells - 1, Int(x[i] / cellSize)), cy = min(Self.cells - 1, Int(y[i] / cellSize))
            return cy * Self.cells + cx
        }
        for i in ids.indices { members[cell(i)].append(i) }
        let headings = ids.indices.map(heading)
        var newVX = vx, newVY = vy
        for i in ids.indices {
            var sumDX: Float = 0, sumDY: Float = 0, sumX: Float = 0, sumY: Float = 0, awayX: Float = 0, awayY: Float = 0
            var neighbours: Float = 0
            for j in members[cell(i)] where j != i {
                sumDX += headings[j].dx; sumDY += headings[j].dy; sumX += x[j]; sumY += y[j]
                neighbours += 1
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx * dx + dy * dy < 16 { awayX += dx; awayY += dy }
            }
            var ax: Float = 0, ay: Float = 0
            if neighbours > 0 {
                // Alignment: toward the neighbours' average heading, at this boid's own speed.
                let speed = (vx[i] * vx[i] + vy[i] * vy[i]).squareRoot()
                ax += (sumDX / neighbours * speed - vx[i]) * 0.05 + (sumX / neighbours - x[i]) * 0.005
                ay += (sumDY / neighbours * speed - vy[i]) * 0.05 + (sumY / neighbours - y[i]) * 0.005
            }
            ax += awayX * 0.03 + (random.unitFloat() - 0.5) * 0.05
            ay += awayY * 0.03 + (random.unitFloat() - 0.5) * 0.05
            var nvx = vx[i] + ax, nvy = vy[i] + ay
            let speed = (nvx * nvx + nvy * nvy).squareRoot()
            if speed > 2 { nvx *= 2 / speed; nvy *= 2 / speed }
            if speed < 0.5, speed > 0 { nvx *= 0.5 / speed; nvy *= 0.5 / speed }
            newVX[i] = nvx
            newVY[i] = nvy
        }
        vx = newVX
        vy = newVY
        for i in ids.indices {
            x[i] = Self.wrap(x[i] + vx[i])
            y[i] = Self.wrap(y[i] + vy[i])
        }
        if tick == Self.hatchTick, !ids.isEmpty {
            // The bug: the hatchling gets no velocity.
            ids.append((ids.max() ?? 0) + 1)
            x.append(x[0]); y.append(y[0]); vx.append(0); vy.append(0)
        }
    }

    /// The unit vector of boid `i`'s velocity. The bug: no guard for a
    /// velocity of zero, whose heading is NaN.
    private func heading(_ i: Int) -> (dx: Float, dy: Float) {
        let speed = (vx[i] * vx[i] + vy[i] * vy[i]).squareRoot()
        return (vx[i] / speed, vy[i] / speed)
    }

    static func wrap(_ value: Float) -> Float {
        var v = value
        if v < 0 { v += size }
        if v >= size { v -= size }
        return v
    }

    public var world: Snapshot {
        let headings = ids.indices.map(heading)
        let dx = headings.map(\.dx), dy = headings.map(\.dy)
        let flock = Archetype(
            components: Self.schema.components, entities: ids.map(EntityID.init(rawValue:)),
            columns: [Column(x), Column(y), Column(vx), Column(vy), Column(dx), Column(dy)])
        return Snapshot(
            schema: Self.schema, archetypes: [flock],
            resources: Resources(tick: tick, worldTime: Double(tick) / 30, seed: seed, custom: ["rng_state": String(random.state)]),
            metadata: ["simulation": Self.name, Snapshot.derivedFieldsKey: "Heading.dx,Heading.dy"])
    }
}
