#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CMalloc
import Interop
import PackCodec
import ScopeUI
import Simulations
import Timeline

/// `bench ui`: the debugger driven headless over a recorded W3 store, as a
/// user drives it: step through every checkpoint drawing a 160x48 screen,
/// sort and filter the million rows, and the start-up on the sample world.
struct UIBenchmark {
    var entities: Int
    var checkpoints: Int
    /// Milliseconds between a frame and the next key.
    var pace: Int
    var walk: Walk
    /// Steps timed (keys sent).
    var stepCount: Int
    var stepMedian: Double
    var stepP99: Double
    /// Medians of the steps forward and of the steps back apart: a step
    /// back rebuilds the columns from the shown ones, a step forward
    /// applies deltas to them.
    var forwardMedian: Double
    var backMedian: Double
    /// The three slowest steps: which way, onto which tick, how long, and
    /// what its load read (``ReadStatistics`` in a few words).
    var slowest: [(forward: Bool, tick: Int, milliseconds: Double, reads: String, cost: StepCost)]
    /// The median and p99 of the CPU time the key's thread spent on a step:
    /// beside the wall clock's, they tell the code's time from the
    /// machine's (a step preempted, or its VM's CPU stolen).
    var threadCPUMedian: Double
    var threadCPUP99: Double
    /// Over all the steps: the CPU time the hypervisor stole from this
    /// machine, and how often the key's thread was preempted.
    var stolenMilliseconds: Double
    var preemptions: Int
    /// The median count of pages a step's thread faulted in.
    var pageFaultsMedian: Int
    /// The steps that missed a 60 Hz frame (over 16 ms): how many, how many
    /// of them the hypervisor stole CPU during, and the most CPU time the
    /// key's thread spent on one of them.
    var late: (count: Int, stolenFrom: Int, mostThreadCPU: Double)
    var sort: Double
    var filter: Double
    /// `nil` when the ecosystem sample was not found (a binary moved away from its folder).
    var startup: Double?
    var residentBytes: Int
    /// The same after a step back and a step forward onto it again, half
    /// a second after each: the debugger at rest after a step also holds
    /// the way back (undo patches), what it learnt crossing chain starts and
    /// what it decoded ahead for the next step.
    var residentAfterStepBytes: Int
    /// The same after the step back alone: it holds the undo patches read
    /// off the records its highlights read, for the next step back.
    var residentAfterStepBackBytes: Int
    /// The process before it recorded or opened anything.
    var idleBytes: Int
    /// W2's raw payload: 36 bytes an entity (7 Float32 and an id).
    var rawBytes: Int { entities * 36 }

    /// The keys the steps are: `l` steps forward, `h` back.
    enum Walk: String, CaseIterable, ExpressibleByArgument {
        /// Forward through every checkpoint, then back to the first.
        case thereAndBack = "there-and-back"
        /// Forward onto each checkpoint, back to the one before and forward
        /// again: comparing each tick with the one before by flipping.
        case toggle

        func keys(ticks: Int) -> [Character] {
            switch self {
            case .thereAndBack: Array(repeating: "l", count: ticks) + Array(repeating: "h", count: ticks)
            case .toggle: (0..<ticks).flatMap { _ in ["l", "h", "l"] as [Character] }
            }
        }
    }

    static func measure(entities: Int, ticks: Int, pace: Int = 0, walk: Walk = .thereAndBack, samplePath: String?, directory: String) throws -> UIBenchmark {
        let path = directory + "/store"
        let idle = ResourceUsage.residentBytes()
        do {
            let store = try CheckpointStore.openForWriting(path)
            var simulation = SwarmTimeline(entities: entities)
            for step in 0...ticks {
                if step > 0 { simulation.advance() }
                try store.commit(simulation.snapshot, info: CheckpointInfo(name: "tick \(simulation.tick)"), options: WriteOptions(codec: .zstd(level: 1)))
            }
        }
        // Give the recording's memory back before measuring the viewer's.
        malloc_trim(0)
        let debugger = try Debugger(store: CheckpointStore.open(path), title: "bench")
        // Through the debugger's one event loop, timed from each key to its frame.
        let keys = walk.keys(ticks: ticks)
        var timer = StepTimer(keys: keys.map(Key.character), pace: pace) {
            guard let reads = debugger.session.lastLoad?.reads else { return "" }
            return "\(reads.blocksDecoded) blocks, \(reads.decodedBytes / 1000) KB decoded, \(reads.decodedAhead) ahead, "
                + "\(reads.learntAhead) learnt ahead, \(reads.changeRecordsRead) change records"
        }
        try EventLoop.run(debugger, on: &timer)
        // The tick each step lands on: one on for each `l`, one back for each `h`.
        var ticksLanded: [Int] = []
        for key in keys { ticksLanded.append((ticksLanded.last ?? 0) + (key == "l" ? 1 : -1)) }
        let slowest = timer.milliseconds.enumerated().sorted { $0.element > $1.element }.prefix(3).map { index, time in
            (forward: keys[index] == "l", tick: ticksLanded[index], milliseconds: time, reads: timer.reads[index], cost: timer.costs[index])
        }
        let threadCPU = timer.costs.map(\.threadCPU).sorted()
        let lateSteps = zip(timer.milliseconds, timer.costs).filter { $0.0 > 16 }.map(\.1)
        func median(of key: Character) -> Double {
            let times = zip(keys, timer.milliseconds).filter { $0.0 == key }.map(\.1).sorted()
            return times.isEmpty ? 0 : times[times.count / 2]
        }
        let (forwardMedian, backMedian) = (median(of: "l"), median(of: "h"))
        var steps = timer.milliseconds
        steps.sort()
        debugger.handle(.character("G"))
        _ = debugger.screen(width: 160, height: 48)
        // Memory with the world open, at rest on its last checkpoint.
        malloc_trim(0)
        let resident = ResourceUsage.residentBytes()
        // And after a step back and one forward onto it again, each followed by half a second (a user
        // reading the screen: what each step decodes ahead is done before the next): what a step keeps
        // for the way back and decodes ahead for the next.
        var residentAfterStepBack = 0
        for key in ["h", "l"] as [Character] {
            debugger.handle(.character(key))
            _ = debugger.screen(width: 160, height: 48)
            usleep(500_000)
            if key == "h" {
                malloc_trim(0)
                residentAfterStepBack = ResourceUsage.residentBytes()
            }
        }
        malloc_trim(0)
        let residentAfterStep = ResourceUsage.residentBytes()
        let sort = try ResourceUsage.medianMilliseconds(3) {
            debugger.runCommand("sort Position.x")
            _ = debugger.screen(width: 160, height: 48)
            debugger.runCommand("sort")
        }
        let filter = try ResourceUsage.medianMilliseconds(3) {
            debugger.runCommand("filter Health.value < 50 && Position.x > 100")
            _ = debugger.screen(width: 160, height: 48)
            debugger.runCommand("filter")
        }
        var startup: Double?
        if let samplePath {
            startup = try ResourceUsage.medianMilliseconds(5) {
                _ = try Debugger(store: CheckpointStore.open(samplePath), title: "ecosystem").screen(width: 80, height: 24)
            }
        }
        withExtendedLifetime(debugger) {}
        return UIBenchmark(entities: entities, checkpoints: ticks + 1, pace: pace, walk: walk, stepCount: keys.count, stepMedian: steps[steps.count / 2],
                           stepP99: steps[Self.p99Index(steps.count)],
                           forwardMedian: forwardMedian, backMedian: backMedian, slowest: Array(slowest),
                           threadCPUMedian: threadCPU[threadCPU.count / 2], threadCPUP99: threadCPU[Self.p99Index(threadCPU.count)],
                           stolenMilliseconds: timer.costs.reduce(0) { $0 + $1.stolen }, preemptions: timer.costs.reduce(0) { $0 + $1.preemptions },
                           pageFaultsMedian: timer.costs.map(\.pageFaults).sorted()[timer.costs.count / 2],
                           late: (lateSteps.count, lateSteps.filter { $0.stolen > 0 }.count, lateSteps.map(\.threadCPU).max() ?? 0),
                           sort: sort, filter: filter, startup: startup, residentBytes: resident, residentAfterStepBytes: residentAfterStep,
                           residentAfterStepBackBytes: residentAfterStepBack, idleBytes: idle)
    }

    /// The index of the 99th percentile in `count` sorted values.
    static func p99Index(_ count: Int) -> Int { max(0, min(count - 1, Int((Double(count) * 0.99).rounded(.up)) - 1)) }

    /// Exactly the keys the issue names (the memory after a step is in the text only).
    var json: JSONValue {
        .object([
            ("entities", .number(String(entities))),
            ("step_ms_median", .number(CodecBenchmarkRow.format(stepMedian))), ("step_ms_p99", .number(CodecBenchmarkRow.format(stepP99))),
            ("sort_ms", .number(CodecBenchmarkRow.format(sort))), ("filter_ms", .number(CodecBenchmarkRow.format(filter))),
            ("startup_ms", startup.map { .number(CodecBenchmarkRow.format($0)) } ?? .null), ("rss_bytes", .number(String(residentBytes))),
        ])
    }

    var text: [String] {
        [
            "debugger on W3 swarm-timeline, \(entities) entities, \(checkpoints) checkpoints, 160x48 screen"
                + (pace > 0 ? ", a key \(pace) ms after each frame" : ", keys back to back")
                + (walk == .toggle ? ", each tick toggled (forward, back, forward)" : ""),
            "  step + draw        \(CodecBenchmarkRow.format(stepMedian)) ms median, \(CodecBenchmarkRow.format(stepP99)) ms p99 (\(stepCount) steps; "
                + "medians \(CodecBenchmarkRow.format(forwardMedian)) forward, \(CodecBenchmarkRow.format(backMedian)) back)",
            "  CPU of a step      \(CodecBenchmarkRow.format(threadCPUMedian)) ms median, \(CodecBenchmarkRow.format(threadCPUP99)) ms p99 on the key's thread; "
                + "over all steps \(CodecBenchmarkRow.format(stolenMilliseconds)) ms stolen by the hypervisor, \(preemptions) preemptions; "
                + "a median \(pageFaultsMedian) pages faulted in a step",
            "  over 16 ms         \(late.count) steps" + (late.count == 0 ? "" : ", \(late.stolenFrom) of them while the hypervisor stole CPU; "
                + "at most \(CodecBenchmarkRow.format(late.mostThreadCPU)) ms CPU on the key's thread"),
            "  slowest steps      " + slowest.map { "\($0.forward ? "forward" : "back") onto tick \($0.tick) \(CodecBenchmarkRow.format($0.milliseconds)) ms ("
                + "\($0.reads); \($0.cost.text))" }.joined(separator: ",\n                     "),
            "  sort 1 column      \(CodecBenchmarkRow.format(sort)) ms",
            "  filter             \(CodecBenchmarkRow.format(filter)) ms",
            "  start-up (sample)  " + (startup.map { "\(CodecBenchmarkRow.format($0)) ms to the first screen" } ?? "not measured: no SampleWorlds/ecosystem found (set TICKSCOPE_HOME)"),
            "  resident memory    \(residentBytes) bytes (\(CodecBenchmarkRow.format(Double(residentBytes) / Double(rawBytes), digits: 2))x the raw payload of \(rawBytes)); "
                + "\(CodecBenchmarkRow.format(Double(residentBytes - idleBytes) / Double(rawBytes), digits: 2))x beyond the idle process's \(idleBytes)",
            "  after a step onto it \(residentAfterStepBytes) bytes (\(CodecBenchmarkRow.format(Double(residentAfterStepBytes) / Double(rawBytes), digits: 2))x); "
                + "after the step back before it \(residentAfterStepBackBytes) bytes (\(CodecBenchmarkRow.format(Double(residentAfterStepBackBytes) / Double(rawBytes), digits: 2))x)",
        ]
    }
}

/// The benchmark's backend: a 160x48 screen, keys as fast as they are
/// taken, and the time from each key to the frame drawn after it.
struct StepTimer: Backend {
    var keys: [Key]
    var next = 0
    var pressed: Double?
    var milliseconds: [Double] = []
    /// What each step's load read, as `describe` put it.
    var reads: [String] = []
    /// Where each step's time went besides the wall clock.
    var costs: [StepCost] = []
    private var startCost: StepCost?
    /// Describes the load just drawn.
    let describe: () -> String

    /// Milliseconds between a frame and the next key (untimed).
    let pace: Int

    init(keys: [Key], pace: Int = 0, describe: @escaping () -> String = { "" }) {
        self.keys = keys
        self.pace = pace
        self.describe = describe
    }

    var size: (width: Int, height: Int) { (160, 48) }
    var now: Double? { nil }
    var finishesWorkBeforeNextKey: Bool { true }

    mutating func draw(_ screen: CellBuffer) {
        if let pressed {
            milliseconds.append((ResourceUsage.wallSeconds() - pressed) * 1000)
            if let startCost { costs.append(StepCost.now.since(startCost)) }
            reads.append(describe())
        }
        pressed = nil
    }

    mutating func nextEvent(waitingAtMost seconds: Double?) -> BackendEvent {
        guard next < keys.count else { return .end }
        defer { next += 1 }
        if pace > 0, next > 0 { usleep(useconds_t(pace * 1000)) }
        startCost = StepCost.now
        pressed = ResourceUsage.wallSeconds()
        return .key(keys[next])
    }

    mutating func copy(_ text: String) {}
}

/// What one step cost besides its wall-clock time. Read around the timed
/// window, not inside it.
struct StepCost {
    /// CPU milliseconds of the key's thread.
    var threadCPU: Double
    /// CPU milliseconds of every thread (the key's, the workers', the background thread).
    var processCPU: Double
    /// Involuntary context switches of the key's thread.
    var preemptions: Int
    /// Milliseconds the hypervisor stole from the machine (in kernel ticks).
    var stolen: Double
    /// Pages the key's thread touched for the first time.
    var pageFaults: Int

    static var now: StepCost {
        StepCost(threadCPU: ResourceUsage.threadCPUSeconds() * 1000, processCPU: ResourceUsage.processCPUSeconds() * 1000,
                 preemptions: ResourceUsage.threadPreemptions(), stolen: ResourceUsage.stolenSeconds() * 1000,
                 pageFaults: ResourceUsage.threadPageFaults())
    }

    func since(_ start: StepCost) -> StepCost {
        StepCost(threadCPU: threadCPU - start.threadCPU, processCPU: processCPU - start.processCPU,
                 preemptions: preemptions - start.preemptions, stolen: stolen - start.stolen,
                 pageFaults: pageFaults - start.pageFaults)
    }

    var text: String {
        "CPU \(CodecBenchmarkRow.format(threadCPU)) ms on the key's thread, \(CodecBenchmarkRow.format(processCPU)) ms in all, "
            + "\(preemptions) preempted, \(CodecBenchmarkRow.format(stolen)) ms stolen, \(pageFaults) pages faulted in"
    }
}
