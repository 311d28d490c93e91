import Interop
import PackCodec
import Simulations
import CMalloc
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// One row of `bench codec`: a workload written and read with one codec.
struct CodecBenchmarkRow {
    var workload: String
    var entities: Int
    var codec: String
    var format: SnapshotFormat
    var rawBytes: Int
    var storedBytes: Int
    var writeMilliseconds: Double
    var readMilliseconds: Double
    var openMilliseconds: Double
    var columnMilliseconds: Double
    /// `verify`: every block's checksum and values, and the digest.
    var verifyMilliseconds: Double
    var peakRSSBytes: Int
    /// The floor for `writeMilliseconds`: a plain `write(2)` of as many
    /// bytes to a new file in the same folder, then a rename, in the same run.
    var plainWriteMilliseconds: Double

    /// The process's peak resident memory while writing `snapshot` once.
    ///
    /// Call for every codec before any row decodes: parallel decodes leave
    /// freed memory in other threads' malloc arenas, which `malloc_trim`
    /// does not always give back, and it would count against later rows.
    static func peakWhileWriting(_ snapshot: Snapshot, codec: BlockCodec, format: SnapshotFormat, path: String) throws -> Int {
        // Return memory freed earlier, so the peak is the world plus what
        // this write needs. The C function is `malloc_trim`.
        malloc_trim(0)
        ResourceUsage.resetPeak()
        try snapshot.write(to: path, options: WriteOptions(codec: codec, isDurable: false, format: format))
        return ResourceUsage.peakResidentBytes()
    }

    static func measure(
        snapshot: Snapshot, workload: Workload, entities: Int, codec: BlockCodec, format: SnapshotFormat, path: String, runs: Int, peak: Int
    ) throws -> CodecBenchmarkRow {
        let options = WriteOptions(codec: codec, isDurable: false, format: format)
        var summary = try snapshot.write(to: path, options: options)
        let write = try ResourceUsage.medianMilliseconds(runs, preparing: { startsQuiet(path) }) { summary = try snapshot.write(to: path, options: options) }
        let open = try ResourceUsage.medianMilliseconds(runs) { _ = try SnapshotReader(path: path) }
        let reader = try SnapshotReader(path: path)
        let read = try ResourceUsage.medianMilliseconds(runs) { _ = try reader.readSnapshot() }
        let column = try ResourceUsage.medianMilliseconds(runs) { _ = try reader.column(archetype: 0, index: 0) }
        let verify = try ResourceUsage.medianMilliseconds(runs) {
            if let problem = reader.verify().firstProblem { throw CommandFailure("bench: verify of the \(codec) file failed: \(problem)") }
        }
        let decoded = try reader.readSnapshot()
        guard decoded == snapshot else { throw CommandFailure("bench: \(codec) did not round-trip the \(workload) world") }
        let plain = try plainWrite(byteCount: summary.byteCount, beside: path, runs: runs)
        return CodecBenchmarkRow(
            workload: workload.rawValue, entities: entities, codec: codec.description, format: format,
            rawBytes: workload.rawBytes(entities: entities), storedBytes: summary.byteCount,
            writeMilliseconds: write, readMilliseconds: read, openMilliseconds: open, columnMilliseconds: column, verifyMilliseconds: verify,
            peakRSSBytes: peak, plainWriteMilliseconds: plain)
    }

    /// Gets a timed write of `path` ready, untimed: no earlier file under
    /// that name to free, and no earlier run's dirty pages being written
    /// back meanwhile (either cost a 36 MB write more than the write itself
    /// on this VM, and varied run to run). The C functions are `unlink`
    /// and `sync`.
    static func startsQuiet(_ path: String) {
        unlink(path)
        sync()
    }

    /// The median time to write `byteCount` bytes to a new file beside
    /// `path` and rename it into place, as the snapshot writer does but
    /// with nothing else: no encoding, no checksum, no sync (the writer's
    /// benchmark runs without one too), from the same quiet start.
    static func plainWrite(byteCount: Int, beside path: String, runs: Int) throws -> Double {
        let bytes = [UInt8](repeating: 0xA5, count: byteCount)
        let temporary = path + ".plain-tmp", target = path + ".plain"
        defer { unlink(target); unlink(temporary) }
        return try ResourceUsage.medianMilliseconds(runs, preparing: { startsQuiet(target) }) {
            let file = try FileDescriptor.open(FilePath(temporary), .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
            do { _ = try file.writeAll(bytes) } catch { try? file.close(); throw error }
            try file.close()
            guard rename(temporary, target) == 0 else { throw CommandFailure("bench: cannot rename \(temporary): \(String(cString: strerror(errno)))") }
        }
    }


    var json: JSONValue {
        .object([
            ("workload", .string(workload)), ("entities", .number(String(entities))), ("codec", .string(codec)),
            ("format", .number(String(format.rawValue))),
            ("raw_bytes", .number(String(rawBytes))), ("stored_bytes", .number(String(storedBytes))),
            ("write_ms", .number(Self.format(writeMilliseconds))), ("read_ms", .number(Self.format(readMilliseconds))),
            ("open_ms", .number(Self.format(openMilliseconds))), ("column_ms", .number(Self.format(columnMilliseconds))),
            ("verify_ms", .number(Self.format(verifyMilliseconds))),
            ("peak_rss_bytes", .number(String(peakRSSBytes))), ("plain_write_ms", .number(Self.format(plainWriteMilliseconds))),
        ])
    }

    static func table(_ rows: [CodecBenchmarkRow]) -> [String] {
        let header = [pad("workload", 9), padLeft("entities", 9), "  " + pad("codec", 7), pad("fmt", 4), padLeft("raw_bytes", 11), padLeft("stored_bytes", 13),
                      padLeft("ratio", 6), padLeft("write_ms", 10), padLeft("read_ms", 9), padLeft("open_ms", 9), padLeft("column_ms", 10), padLeft("verify_ms", 10),
                      padLeft("write_MB/s", 11), padLeft("read_MB/s", 10), padLeft("peak_rss_MB", 12), padLeft("plain_write_ms", 15),
                      padLeft("x_floor", 8)].joined()
        return [header] + rows.map { row in
            let mb = Double(row.rawBytes) / 1e6
            return [pad(row.workload, 9), padLeft(String(row.entities), 9), "  " + pad(row.codec, 7), pad(String(row.format.rawValue), 4), padLeft(String(row.rawBytes), 11),
                    padLeft(String(row.storedBytes), 13), padLeft(format(Double(row.rawBytes) / Double(max(row.storedBytes, 1))), 6),
                    padLeft(format(row.writeMilliseconds), 10), padLeft(format(row.readMilliseconds), 9), padLeft(format(row.openMilliseconds), 9),
                    padLeft(format(row.columnMilliseconds), 10), padLeft(format(row.verifyMilliseconds), 10), padLeft(format(mb / max(row.writeMilliseconds, 0.001) * 1000, digits: 0), 11),
                    padLeft(format(mb / max(row.readMilliseconds, 0.001) * 1000, digits: 0), 10),
                    padLeft(format(Double(row.peakRSSBytes) / 1e6, digits: 1), 12), padLeft(format(row.plainWriteMilliseconds), 15),
                    padLeft(format(row.writeMilliseconds / max(row.plainWriteMilliseconds, 0.001), digits: 2), 8)].joined()
        }
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(rounded)) : String(rounded)
    }
}

/// Time and peak memory from the kernel.
enum ResourceUsage {
    /// Seconds on the monotonic clock. The C function is `clock_gettime`.
    static func wallSeconds() -> Double { clockSeconds(CLOCK_MONOTONIC) }

    /// Seconds of CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`).
    static func threadCPUSeconds() -> Double { clockSeconds(CLOCK_THREAD_CPUTIME_ID) }

    /// Seconds of CPU time every thread of the process has used (`CLOCK_PROCESS_CPUTIME_ID`).
    static func processCPUSeconds() -> Double { clockSeconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func clockSeconds(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// How many times the kernel took the CPU from the calling thread
    /// before it was done (involuntary context switches, `RUSAGE_THREAD`).
    static func threadPreemptions() -> Int { threadUsage().ru_nivcsw }

    /// How many pages the calling thread touched for the first time
    /// (minor page faults: memory the kernel had to map and zero).
    static func threadPageFaults() -> Int { threadUsage().ru_minflt }

    private static func threadUsage() -> rusage {
        var usage = rusage()
        // RUSAGE_THREAD (1) is behind _GNU_SOURCE, which the Glibc module does not define.
        getrusage(__rusage_who_t(1), &usage)
        return usage
    }

    /// Seconds the hypervisor ran something else while this machine's
    /// CPUs wanted to run (the `steal` column of `/proc/stat`'s `cpu`
    /// line, summed over the CPUs), or 0 where unknown. Its unit is the
    /// kernel's tick, 10 ms on most machines.
    static func stolenSeconds() -> Double {
        guard let text = try? String(decoding: readInput("/proc/stat"), as: UTF8.self),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return 0 }
        let fields = line.split(separator: " ").dropFirst()
        guard fields.count >= 8, let ticks = Double(fields[fields.startIndex + 7]) else { return 0 }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The median wall-clock time of `runs` calls of `body`, in milliseconds.
    /// - Parameter prepare: run untimed before each run.
    static func medianMilliseconds(_ runs: Int, preparing prepare: () -> Void = {}, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            prepare()
            let start = wallSeconds()
            try body()
            times.append((wallSeconds() - start) * 1000)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Resets the peak resident set size (Linux: writing 5 to clear_refs).
    static func resetPeak() {
        // Where it cannot be written (not Linux), the peak is since the start.
        guard let file = try? FileDescriptor.open("/proc/self/clear_refs", .writeOnly, options: [.closeOnExec]) else { return }
        _ = try? file.closeAfter { try file.writeAll("5".utf8) }
    }

    /// The peak resident set size in bytes (VmHWM), or 0 where unknown.
    static func peakResidentBytes() -> Int { statusBytes("VmHWM:") }

    /// The resident set size now in bytes (VmRSS), or 0 where unknown.
    static func residentBytes() -> Int { statusBytes("VmRSS:") }

    private static func statusBytes(_ field: String) -> Int {
        guard let text = try? String(decoding: readInput("/proc/self/status"), as: UTF8.self) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }
}
