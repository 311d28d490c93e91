import Foundation
import PackCodec
import Simulations
import Testing
import Timeline

@Suite struct SimulationTests {
    static func run<S: Simulation>(_ type: S.Type, ticks: Int, scale: Int? = nil) -> [Snapshot] {
        var simulation = S(seed: 42, scale: scale)
        var worlds = [simulation.world]
        for _ in 0..<ticks {
            simulation.step()
            worlds.append(simulation.world)
        }
        return worlds
    }

    @Test("the same seed gives byte-identical worlds", arguments: ["boids", "ecosystem", "orbits"])
    func deterministic(name: String) throws {
        let (a, b): ([Snapshot], [Snapshot]) = switch name {
        case "boids": (Self.run(Boids.self, ticks: 20, scale: 300), Self.run(Boids.self, ticks: 20, scale: 300))
        case "ecosystem": (Self.run(Ecosystem.self, ticks: 20), Self.run(Ecosystem.self, ticks: 20))
        default: (Self.run(Orbits.self, ticks: 20), Self.run(Orbits.self, ticks: 20))
        }
        #expect(try a.map { try $0.encoded() } == b.map { try $0.encoded() })
        #expect(a.first != a.last, "the world changes")
    }

    @Test("a fork resumed without edits continues exactly like the original run", arguments: ["boids", "ecosystem", "orbits"])
    func resumeMatchesContinuation(name: String) throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        // The ecosystem is resumed across the pack's arrival at tick 100.
        let (ticks, forkAt): (Int, UInt64) = name == "ecosystem" ? (110, 95) : (20, 10)
        switch name {
        case "boids": var s = Boids(seed: 7, scale: 200); try SimulationRecorder.record(&s, ticks: ticks, every: 1, into: store, branch: "main")
        case "ecosystem": var s = Ecosystem(seed: 7, scale: nil); try SimulationRecorder.record(&s, ticks: ticks, every: 1, into: store, branch: "main")
        default: var s = Orbits(seed: 7, scale: 10); try SimulationRecorder.record(&s, ticks: ticks, every: 1, into: store, branch: "main")
        }
        let base = try store.resolve(String(forkAt))
        try store.fork(from: base.id, name: "again")
        let more = ticks - Int(forkAt)
        switch name {
        case "boids": try SimulationRecorder.resume(Boids.self, branch: "again", in: store, ticks: more, every: 1)
        case "ecosystem": try SimulationRecorder.resume(Ecosystem.self, branch: "again", in: store, ticks: more, every: 1)
        default: try SimulationRecorder.resume(Orbits.self, branch: "again", in: store, ticks: more, every: 1)
        }
        let end = try store.resolve("again@\(ticks)")
        #expect(try store.timeline(of: "again").count == ticks + 1)
        #expect(try store.resolve("again@\(forkAt + 1)").parent == base.id)
        #expect(try store.diff(store.resolve(String(ticks)).id, end.id).isEmpty)
    }

    @Test("ecosystem: Health first goes negative at tick 100, for entity 265, after a pack's double bites")
    func ecosystemBug() {
        let worlds = Self.run(Ecosystem.self, ticks: 110)
        func negative(_ world: Snapshot) -> [(EntityID, Float)] {
            world.archetypes.flatMap { archetype -> [(EntityID, Float)] in
                guard let health = archetype.column(component: "Health", field: "value")?.values(as: Float.self) else { return [] }
                return zip(archetype.entities, health).filter { $0.1 < 0 }
            }
        }
        let first = worlds.firstIndex { !negative($0).isEmpty }
        #expect(first == 100)
        #expect(negative(worlds[100]).map(\.0) == [EntityID(265)])
        #expect(negative(worlds[100]).first?.1 == -140)
    }

    @Test("ecosystem: prey die into corpses (an archetype change) and corpses decay away")
    func ecosystemArchetypes() {
        let worlds = Self.run(Ecosystem.self, ticks: 60)
        let corpses = worlds.map { $0.archetypes[2].count }
        #expect(corpses.contains { $0 > 0 })
        let early = Set(worlds[10].archetypes[1].entities)
        #expect(worlds[60].archetypes[2].entities.contains { early.contains($0) }, "some animal of tick 10 is a corpse by tick 60")
    }

    @Test("orbits: with Integrator.scheme 0 (forward Euler) every planet's orbital energy creeps upward; with 1 it stays flat")
    func orbitsDrift() throws {
        let worlds = Self.run(Orbits.self, ticks: 200)
        func energies(_ worlds: [Snapshot], _ planet: Int) -> [Double] { worlds.map { $0.archetypes[0].columns[5].values(as: Double.self)[planet] } }
        #expect(worlds[0].archetypes[1].columns[0].values(as: UInt8.self) == [0], "the settings entity starts with the wrong scheme")
        #expect(Snapshot.derivedFields(in: worlds[0].metadata) == ["Orbit.energy"])
        // The fix: the same start with scheme 1.
        var start = worlds[0]
        start.archetypes[1].columns[0] = Column([UInt8(1)])
        var fixed = try Orbits(resumingFrom: start)
        var fixedWorlds = [fixed.world]
        for _ in 0..<200 { fixed.step(); fixedWorlds.append(fixed.world) }
        for planet in 1...8 {
            let energy = energies(worlds, planet), flat = energies(fixedWorlds, planet)
            #expect(energy[200] > energy[0], "planet \(planet)")
            #expect(energy[200] - energy[100] > 0 && energy[100] - energy[0] > 0, "a steady trend, planet \(planet)")
            #expect(abs(flat[200] - flat[0]) < (energy[200] - energy[0]) / 20, "semi-implicit Euler keeps planet \(planet)'s energy")
        }
        start.archetypes[1].columns[0] = Column([UInt8(7)])
        #expect(throws: TimelineError.self) { try Orbits(resumingFrom: start) }
    }

    @Test("a resumed fork's edit of a derived field (Orbit.energy) is found recomputed at the next checkpoint; an edit of state (Velocity.vx) is not")
    func recomputedEdits() throws {
        let directory = StoreDirectory()
        let store = try CheckpointStore.openForWriting(directory.path)
        var orbits = Orbits(seed: 42, scale: 4)
        try SimulationRecorder.record(&orbits, ticks: 8, every: 4, into: store, branch: "main")
        let start = try store.resolve("0").id
        try store.fork(from: start, name: "energy", edits: [.set(entity: EntityID(1), component: "Orbit", field: "energy", value: "-45")])
        try store.fork(from: start, name: "velocity", edits: [.set(entity: EntityID(1), component: "Velocity", field: "vx", value: "-9")])
        #expect(try store.recomputedEdits(onBranch: "energy") == nil, "nothing resumed yet")
        for branch in ["energy", "velocity"] { try SimulationRecorder.resume(Orbits.self, branch: branch, in: store, ticks: 8, every: 4) }
        let found = try #require(try store.recomputedEdits(onBranch: "energy"))
        #expect(found.tick == 4 && found.edits.map { "\($0.entity.rawValue) \($0.component).\($0.field) \($0.new)" } == ["1 Orbit.energy -45.0"])
        #expect(try store.recomputedEdits(onBranch: "velocity") == nil)
        #expect(try store.recomputedEdits(onBranch: "main") == nil)
    }

    @Test("boids: the hatchling of tick 80 has no velocity, its heading is NaN, and NaN spreads; given a velocity, nothing is NaN")
    func boidsHatchling() throws {
        func nans(_ world: Snapshot) -> [EntityID] {
            let flock = world.archetypes[0], x = flock.columns[0].values(as: Float.self), dx = flock.columns[4].values(as: Float.self)
            return flock.entities.indices.filter { x[$0].isNaN || dx[$0].isNaN }.map { flock.entities[$0] }
        }
        let worlds = Self.run(Boids.self, ticks: 120, scale: 600)
        #expect(worlds.firstIndex { !nans($0).isEmpty } == 80)
        #expect(nans(worlds[80]) == [EntityID(600)])
        #expect(nans(worlds[120]).count > 5, "NaN spreads: \(nans(worlds[120]).count)")
        #expect(Snapshot.derivedFields(in: worlds[0].metadata) == ["Heading.dx", "Heading.dy"])
        // The fix, as a fork at tick 80 makes it: the hatchling given a velocity.
        var start = worlds[80]
        var vx = start.archetypes[0].columns[2].values(as: Float.self)
        vx[600] = 1
        start.archetypes[0].columns[2] = Column(vx)
        var fixed = try Boids(resumingFrom: start)
        for _ in 0..<40 { fixed.step() }
        #expect(nans(fixed.world).isEmpty)
    }
}
