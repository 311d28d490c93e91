import PackCodec
import Timeline

/// A star, eight light planets and a belt of asteroids under Newtonian
/// gravity (G = 1, star mass 1,000; planets about 1e-5, so they barely
/// disturb each other), in `Double`. Components: Position {x, y},
/// Velocity {vx, vy}, Mass {value}, Orbit {energy}: each body's specific
/// orbital energy around the star, ½v² − M/r, which a correct integrator
/// keeps nearly constant. Orbit.energy is derived (recomputed from the
/// state whenever a world is recorded; the recording's metadata says so).
/// One more entity, the settings singleton, has Integrator {scheme}:
/// 0 is forward Euler (`x += v·dt; v += a·dt`), 1 semi-implicit Euler
/// (`v += a·dt; x += v·dt`).
///
/// **The deliberate bug.** A new run starts with scheme 0, where
/// semi-implicit Euler (1) was intended. Forward Euler pumps energy into
/// every orbit, so `Orbit.energy` creeps upward tick after tick: a slow
/// trend in a field's history, invisible in any single checkpoint. A fork
/// that sets Integrator.scheme to 1 and resumes keeps the energies flat.
public struct Orbits: Simulation {
    public static let name = "orbits"
    static let starMass = 1_000.0
    static let dt = 0.002
    /// Integration steps per tick.
    static let substeps = 5

    public private(set) var tick: UInt64 = 0
    private let seed: UInt64
    private var random: SplitMix64
    private var ids: [UInt64] = []
    private var x: [Double] = [], y: [Double] = [], vx: [Double] = [], vy: [Double] = [], mass: [Double] = []
    /// The settings singleton's id and its Integrator.scheme.
    private var settingsID: UInt64 = 0
    private var scheme: UInt8 = Self.forwardEuler
    static let forwardEuler: UInt8 = 0, semiImplicitEuler: UInt8 = 1

    static let schema = Schema(components: [
        ComponentType(name: "Position", fields: [Field("x", .float64), Field("y", .float64)]),
        ComponentType(name: "Velocity", fields: [Field("vx", .float64), Field("vy", .float64)]),
        ComponentType(name: "Mass", fields: [Field("value", .float64)]),
        ComponentType(name: "Orbit", fields: [Field("energy", .float64)]),
        ComponentType(name: "Integrator", fields: [Field("scheme", .uint8)]),
    ])
    static let bodyComponents = Array(schema.components.prefix(4))
    static let settingsComponents = [schema.components[4]]

    /// `scale` is the number of asteroids (default 40).
    public init(seed: UInt64, scale: Int?) {
        self.seed = seed
        random = SplitMix64(state: seed)
        add(x: 0, y: 0, vx: 0, vy: 0, mass: Self.starMass)
        for planet in 0..<8 {
            orbit(radius: 10 + Double(planet) * 8, mass: 1e-5 * (1 + Double(random.unitFloat())))
        }
        for _ in 0..<(scale ?? 40) {
            orbit(radius: 45 + Double(random.unitFloat()) * 10, mass: 1e-7)
        }
        settingsID = UInt64(ids.count)
        // The bug: the default is forward Euler; semi-implicit was intended.
        scheme = Self.forwardEuler
    }

    private mutating func orbit(radius: Double, mass: Double) {
        let angle = Double(random.unitFloat()) * 2 * Double.pi
        // cos/sin only place bodies at the start; the recording stores the result.
        let (c, s) = (Self.cosine(angle), Self.sine(angle))
        let speed = (Self.starMass / radius).squareRoot()
        add(x: radius * c, y: radius * s, vx: -speed * s, vy: speed * c, mass: mass)
    }

    /// Taylor series, so every platform places the bodies identically.
    static func sine(_ a: Double) -> Double {
        let x = a - (a / (2 * Double.pi)).rounded(.down) * 2 * Double.pi - Double.pi
        var term = x, sum = x
        for n in 1...12 { term *= -x * x / Double((2 * n) * (2 * n + 1)); sum += term }
        return -sum
    }

    static func cosine(_ a: Double) -> Double { sine(a + Double.pi / 2) }

    private mutating func add(x: Double, y: Double, vx: Double, vy: Double, mass: Double) {
        ids.append(UInt64(ids.count))
        self.x.append(x); self.y.append(y); self.vx.append(vx); self.vy.append(vy); self.mass.append(mass)
    }

    public init(resumingFrom world: Snapshot) throws(TimelineError) {
        guard let bodies = world.archetype(ArchetypeSignature(Self.bodyComponents)) else {
            throw .invalidRequest("not an orbits world: no Position + Velocity + Mass + Orbit archetype")
        }
        guard let settings = world.archetype(ArchetypeSignature(["Integrator"])), settings.count == 1,
            let schemes = settings.column(component: "Integrator", field: "scheme"), schemes.type == .uint8
        else { throw .invalidRequest("not an orbits world: no settings entity with a u8 Integrator.scheme") }
        func doubles(_ c: String, _ f: String) throws(TimelineError) -> [Double] {
            guard let column = bodies.column(component: c, field: f), column.type == .float64 else { throw .invalidRequest("no f64 column \(c).\(f)") }
            return column.values(as: Double.self)
        }
        tick = world.resources.tick
        seed = world.resources.seed
        random = SplitMix64(state: try world.resource("rng_state"))
        ids = bodies.entities.map(\.rawValue)
        x = try doubles("Position", "x"); y = try doubles("Position", "y")
        vx = try doubles("Velocity", "vx"); vy = try doubles("Velocity", "vy")
        mass = try doubles("Mass", "value")
        settingsID = settings.entities[0].rawValue
        scheme = schemes.values(as: UInt8.self)[0]
        guard scheme == Self.forwardEuler || scheme == Self.semiImplicitEuler else {
            throw .invalidRequest("Integrator.scheme is \(scheme); it is 0 (forward Euler) or 1 (semi-implicit Euler)")
        }
    }

    public mutating func step() {
        tick += 1
        for _ in 0..<Self.substeps {
            var ax = [Double](repeating: 0, count: ids.count), ay = ax
            for i in ids.indices {
                for j in ids.indices where j != i {
                    let dx = x[j] - x[i], dy = y[j] - y[i]
                    let r2 = dx * dx + dy * dy + 1e-6
                    let f = mass[j] / (r2 * r2.squareRoot())
                    ax[i] += f * dx
                    ay[i] += f * dy
                }
            }
            for i in ids.indices {
                if scheme == Self.semiImplicitEuler {
                    vx[i] += ax[i] * Self.dt
                    vy[i] += ay[i] * Self.dt
                    x[i] += vx[i] * Self.dt
                    y[i] += vy[i] * Self.dt
                } else {
                    // Forward Euler: position first, with the old velocity.
                    x[i] += vx[i] * Self.dt
                    y[i] += vy[i] * Self.dt
                    vx[i] += ax[i] * Self.dt
                    vy[i] += ay[i] * Self.dt
                }
            }
        }
    }

    public var world: Snapshot {
        var energy: [Double] = []
        for i in ids.indices {
            let dx = x[i] - x[0], dy = y[i] - y[0]
            let r = (dx * dx + dy * dy).squareRoot()
            energy.append(i == 0 ? 0 : 0.5 * (vx[i] * vx[i] + vy[i] * vy[i]) - Self.starMass / r)
        }
        let bodies = Archetype(
            components: Self.bodyComponents, entities: ids.map(EntityID.init(rawValue:)),
            columns: [Column(x), Column(y), Column(vx), Column(vy), Column(mass), Column(energy)])
        let settings = Archetype(components: Self.settingsComponents, entities: [EntityID(rawValue: settingsID)], columns: [Column([scheme])])
        return Snapshot(
            schema: Self.schema, archetypes: [bodies, settings],
            resources: Resources(tick: tick, worldTime: Double(tick) * Self.dt * Double(Self.substeps), seed: seed,
                                 custom: ["rng_state": String(random.state)]),
            metadata: ["simulation": Self.name, Snapshot.derivedFieldsKey: "Orbit.energy"])
    }
}
