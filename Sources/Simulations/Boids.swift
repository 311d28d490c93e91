import PackCodec
import Timeline

/// Flocking: boids on a 256×256 torus steer toward the average heading and
/// centre of the boids in their 16×16 cell and away from any closer than 4.
/// Components: Position {x, y}, Velocity {vx, vy}, Heading {dx, dy} (the
/// unit vector of the velocity). All arithmetic is `Float`, in entity order,
/// so a seed always gives the same bytes.
public struct Boids: Simulation {
    public static let name = "boids"
    static let size: Float = 256
    static let cells = 16

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
        guard let flock = world.archetypes.first(where: { $0.components.map(\.name) == ["Position", "Velocity", "Heading"] }) else {
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
            let cx = min(Self.cells - 1, Int(x[i] / cellSize)), cy = min(Self.cells - 1, Int(y[i] / cellSize))
            return cy * Self.cells + cx
        }
        for i in ids.indices { members[cell(i)].append(i) }
        var newVX = vx, newVY = vy
        for i in ids.indices {
            var sumVX: Float = 0, sumVY: Float = 0, sumX: Float = 0, sumY: Float = 0, awayX: Float = 0, awayY: Float = 0
            var neighbours: Float = 0
            for j in members[cell(i)] where j != i {
                sumVX += vx[j]; sumVY += vy[j]; sumX += x[j]; sumY += y[j]
                neighbours += 1
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx * dx + dy * dy < 16 { awayX += dx; awayY += dy }
            }
            var ax: Float = 0, ay: Float = 0
            if neighbours > 0 {
                ax += (sumVX / neighbours - vx[i]) * 0.05 + (sumX / neighbours - x[i]) * 0.005
                ay += (sumVY / neighbours - vy[i]) * 0.05 + (sumY / neighbours - y[i]) * 0.005
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
    }

    static func wrap(_ value: Float) -> Float {
        var v = value
        if v < 0 { v += size }
        if v >= size { v -= size }
        return v
    }

    public var world: Snapshot {
        var dx: [Float] = [], dy: [Float] = []
        for i in ids.indices {
            let speed = (vx[i] * vx[i] + vy[i] * vy[i]).squareRoot()
            dx.append(speed > 0 ? vx[i] / speed : 1)
            dy.append(speed > 0 ? vy[i] / speed : 0)
        }
        let flock = Archetype(
            components: Self.schema.components, entities: ids.map(EntityID.init(rawValue:)),
            columns: [Column(x), Column(y), Column(vx), Column(vy), Column(dx), Column(dy)])
        return Snapshot(
            schema: Self.schema, archetypes: [flock],
            resources: Resources(tick: tick, worldTime: Double(tick) / 30, seed: seed, custom: ["rng_state": String(random.state)]),
            metadata: ["simulation": Self.name])
    }
}
