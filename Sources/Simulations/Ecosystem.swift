import PackCodec
import Timeline

/// Plants, prey and predators on a 128×128 torus (see
/// SampleWorlds/ecosystem/README.md). Plants grow and spread; prey wander,
/// graze and breed; at tick 100 a pack of predators arrives and hunts. Dead
/// prey become corpses (an archetype change) that decay away.
///
/// **The deliberate bug.** The hunt clamps a bite at zero Health only for
/// the first bite a prey takes in a tick; a second bite in the same tick
/// subtracts without clamping. And the death check tests `health == 0`, so
/// a prey bitten twice in one tick ends below zero and never dies. Find it
/// with the filter `Health.value < 0`.
///
/// Creatures are processed in id order, and the generator's state and next
/// id are resources, so a run resumed from any checkpoint continues exactly
/// as the original did.
public struct Ecosystem: Simulation {
    public static let name = "ecosystem"
    /// The tick the predator pack arrives.
    public static let packArrival: UInt64 = 100
    static let size: Float = 128
    static let cells = 8

    enum Kind: UInt8 { case plant = 0, prey = 1, predator = 2, corpse = 3 }

    struct Creature {
        var id: UInt64
        var kind: Kind
        var x: Float, y: Float
        var energy: Float = 0
        var health: Float = 0
        var age: UInt32 = 0
        var decay: UInt16 = 0
    }

    public private(set) var tick: UInt64 = 0
    private let seed: UInt64
    private var random: SplitMix64
    private var nextID: UInt64 = 0
    private var creatures: [Creature] = []

    static let position = ComponentType(name: "Position", fields: [Field("x", .float32), Field("y", .float32)])
    static let energy = ComponentType(name: "Energy", fields: [Field("value", .float32)])
    static let health = ComponentType(name: "Health", fields: [Field("value", .float32)])
    static let age = ComponentType(name: "Age", fields: [Field("ticks", .uint32)])
    static let diet = ComponentType(name: "Diet", fields: [Field("kind", .uint8)])
    static let corpse = ComponentType(name: "Corpse", fields: [Field("decay", .uint16)])
    static let schema = Schema(components: [position, energy, health, age, diet, corpse])

    /// `scale` multiplies the starting population (250 plants, 80 prey).
    public init(seed: UInt64, scale: Int?) {
        self.seed = seed
        random = SplitMix64(state: seed)
        let factor = max(1, scale ?? 1)
        for _ in 0..<(250 * factor) { spawn(.plant, x: random.unitFloat() * Self.size, y: random.unitFloat() * Self.size, energy: 5 + random.unitFloat() * 10) }
        for _ in 0..<(80 * factor) { spawn(.prey, x: random.unitFloat() * Self.size, y: random.unitFloat() * Self.size, energy: 10 + random.unitFloat() * 10) }
    }

    public init(resumingFrom world: Snapshot) throws(TimelineError) {
        tick = world.resources.tick
        seed = world.resources.seed
        random = SplitMix64(state: try world.resource("rng_state"))
        nextID = try world.resource("next_id")
        for archetype in world.archetypes where archetype.count > 0 {
            func floats(_ c: String, _ f: String) throws(TimelineError) -> [Float] { try world.floats(c, f, in: archetype) }
            let xs = try floats("Position", "x"), ys = try floats("Position", "y")
            let ages = archetype.column(component: "Age", field: "ticks")?.values(as: UInt32.self) ?? []
            guard ages.count == archetype.count else { throw .invalidRequest("an archetype lacks Age.ticks") }
            if let decays = archetype.column(component: "Corpse", field: "decay")?.values(as: UInt16.self) {
                for row in 0..<archetype.count {
                    creatures.append(Creature(id: archetype.entities[row].rawValue, kind: .corpse, x: xs[row], y: ys[row], age: ages[row], decay: decays[row]))
                }
                continue
            }
            guard let kinds = archetype.column(component: "Diet", field: "kind")?.values(as: UInt8.self) else {
                throw .invalidRequest("an archetype is neither a corpse nor has a Diet")
            }
            let energies = try floats("Energy", "value")
            let healths = archetype.column(component: "Health", field: "value")?.values(as: Float.self)
            for row in 0..<archetype.count {
                guard let kind = Kind(rawValue: kinds[row]), kind != .corpse else { throw .invalidRequest("unknown Diet.kind \(kinds[row])") }
                creatures.append(Creature(
                    id: archetype.entities[row].rawValue, kind: kind, x: xs[row], y: ys[row],
                    energy: energies[row], health: healths?[row] ?? 0, age: ages[row]))
            }
        }
        creatures.sort { $0.id < $1.id }
    }

    private mutating func spawn(_ kind: Kind, x: Float, y: Float, energy: Float) {
        let health: Float = kind == .plant ? 0 : (kind == .prey ? 40 : 80)
        creatures.append(Creature(id: nextID, kind: kind, x: Self.wrap(x), y: Self.wrap(y), energy: energy, health: health))
        nextID += 1
    }

    static func wrap(_ value: Float) -> Float {
        var v = value
        while v < 0 { v += size }
        while v >= size { v -= size }
        return v
    }

    private func cell(_ c: Creature) -> Int {
        let cellSize = Self.size / Float(Self.cells)
        return min(Self.cells - 1, Int(c.y / cellSize)) * Self.cells + min(Self.cells - 1, Int(c.x / cellSize))
    }

    public mutating func step() {
        tick += 1
        if tick == Self.packArrival { arrive() }
        var plantsIn = [[Int]](repeating: [], count: Self.cells * Self.cells)
        var preyIn = [[Int]](repeating: [], count: Self.cells * Self.cells)
        var counts = [0, 0, 0, 0]
        for (i, c) in creatures.enumerated() {
            counts[Int(c.kind.rawValue)] += 1
            if c.kind == .plant { plantsIn[cell(c)].append(i) }
            if c.kind == .prey { preyIn[cell(c)].append(i) }
        }
        var bittenThisTick = Set<Int>()
        let living = creatures.count
        for i in 0..<living {
            creatures[i].age &+= 1
            switch creatures[i].kind {
            case .plant:
                creatures[i].energy = min(20, creatures[i].energy + 0.4)
                if creatures[i].energy >= 20, counts[0] < 400, random.unitFloat() < 0.03 {
                    creatures[i].energy -= 10
                    let (x, y) = (creatures[i].x + random.unitFloat() * 8 - 4, creatures[i].y + random.unitFloat() * 8 - 4)
                    spawn(.plant, x: x, y: y, energy: 5)
                    counts[0] += 1
                }
            case .prey:
                creatures[i].x = Self.wrap(creatures[i].x + (random.unitFloat() * 2 - 1) * 1.5)
                creatures[i].y = Self.wrap(creatures[i].y + (random.unitFloat() * 2 - 1) * 1.5)
                creatures[i].energy -= 0.25
                if let plant = plantsIn[cell(creatures[i])].first(where: { creatures[$0].energy > 2 }) {
                    let bite = min(creatures[plant].energy, 4)
                    creatures[plant].energy -= bite
                    creatures[i].energy += bite
                }
                if creatures[i].energy > 24, counts[1] < 250, random.unitFloat() < 0.06 {
                    creatures[i].energy -= 12
                    spawn(.prey, x: creatures[i].x + random.unitFloat() * 4 - 2, y: creatures[i].y + random.unitFloat() * 4 - 2, energy: 8)
                    counts[1] += 1
                }
                if creatures[i].age > 400 { creatures[i].health = 0 }
            case .predator:
                let target = preyIn[cell(creatures[i])].first { creatures[$0].kind == .prey && creatures[$0].health != 0 }
                if let target {
                    creatures[i].x = Self.wrap(creatures[i].x + Self.towards(creatures[i].x, creatures[target].x))
                    creatures[i].y = Self.wrap(creatures[i].y + Self.towards(creatures[i].y, creatures[target].y))
                    // The bug: only a prey's first bite in a tick is clamped at zero.
                    if bittenThisTick.insert(target).inserted {
                        creatures[target].health = max(0, creatures[target].health - 30)
                    } else {
                        creatures[target].health -= 30
                    }
                    creatures[i].energy += 10
                } else {
                    creatures[i].x = Self.wrap(creatures[i].x + (random.unitFloat() * 2 - 1) * 2)
                    creatures[i].y = Self.wrap(creatures[i].y + (random.unitFloat() * 2 - 1) * 2)
                }
                creatures[i].energy -= 0.4
                if creatures[i].energy > 60, counts[2] < 30, random.unitFloat() < 0.03 {
                    creatures[i].energy -= 30
                    spawn(.predator, x: creatures[i].x, y: creatures[i].y, energy: 30)
                    counts[2] += 1
                }
            case .corpse:
                if creatures[i].decay > 0 { creatures[i].decay -= 1 }
            }
            if creatures[i].kind == .prey || creatures[i].kind == .predator, creatures[i].energy <= 0 {
                creatures[i].energy = 0
                creatures[i].health = max(0, creatures[i].health - 4)
            }
        }
        // Deaths. The bug's other half: `== 0` misses negative Health.
        var survivors: [Creature] = []
        for var c in creatures {
            switch c.kind {
            case .plant: if c.energy <= 0 { continue }
            case .prey:
                if c.health == 0 {
                    c.kind = .corpse
                    c.decay = 20
                }
            case .predator: if c.health == 0 { continue }
            case .corpse: if c.decay == 0 { continue }
            }
            survivors.append(c)
        }
        creatures = survivors
    }

    static func towards(_ from: Float, _ to: Float) -> Float {
        let d = to - from
        return d > 2 ? 2 : (d < -2 ? -2 : d)
    }

    /// The pack arrives at the centre of the cell with the most prey.
    private mutating func arrive() {
        var preyCount = [Int](repeating: 0, count: Self.cells * Self.cells)
        for c in creatures where c.kind == .prey { preyCount[cell(c)] += 1 }
        let busiest = preyCount.indices.max { preyCount[$0] < preyCount[$1] } ?? 0
        let cellSize = Self.size / Float(Self.cells)
        let cx = (Float(busiest % Self.cells) + 0.5) * cellSize, cy = (Float(busiest / Self.cells) + 0.5) * cellSize
        for _ in 0..<6 { spawn(.predator, x: cx + random.unitFloat() * 2 - 1, y: cy + random.unitFloat() * 2 - 1, energy: 40) }
    }

    public var world: Snapshot {
        let plants = creatures.filter { $0.kind == .plant }
        let animals = creatures.filter { $0.kind == .prey || $0.kind == .predator }
        let corpses = creatures.filter { $0.kind == .corpse }
        func ids(_ list: [Creature]) -> [EntityID] { list.map { EntityID($0.id) } }
        let archetypes = [
            Archetype(components: [Self.position, Self.energy, Self.age, Self.diet], entities: ids(plants), columns: [
                Column(plants.map(\.x)), Column(plants.map(\.y)), Column(plants.map(\.energy)), Column(plants.map(\.age)), Column(plants.map(\.kind.rawValue)),
            ]),
            Archetype(components: [Self.position, Self.energy, Self.health, Self.age, Self.diet], entities: ids(animals), columns: [
                Column(animals.map(\.x)), Column(animals.map(\.y)), Column(animals.map(\.energy)), Column(animals.map(\.health)),
                Column(animals.map(\.age)), Column(animals.map(\.kind.rawValue)),
            ]),
            Archetype(components: [Self.position, Self.age, Self.corpse], entities: ids(corpses), columns: [
                Column(corpses.map(\.x)), Column(corpses.map(\.y)), Column(corpses.map(\.age)), Column(corpses.map(\.decay)),
            ]),
        ]
        return Snapshot(
            schema: Self.schema, archetypes: archetypes,
            resources: Resources(tick: tick, worldTime: Double(tick) / 10, seed: seed,
                                 custom: ["rng_state": String(random.state), "next_id": String(nextID)]),
            metadata: ["simulation": Self.name])
    }
}
