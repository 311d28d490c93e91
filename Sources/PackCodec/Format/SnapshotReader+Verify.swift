import Dispatch

/// The result of checking every block of a file and the footer's digest.
public struct VerificationReport: Sendable {
    /// One block's result.
    public struct BlockResult: Sendable {
        /// The block's number (its position in ``TableOfContents/blocks``).
        public var number: Int
        /// What the block holds.
        public var label: String
        /// The block's descriptor.
        public var descriptor: BlockDescriptor
        /// `nil` when the block decoded (or, encrypted without a key, its
        /// checksum matched); otherwise what went wrong.
        public var problem: PackError?
    }

    /// Every block, in file order.
    public var blocks: [BlockResult]
    /// The file's format (what the digest covers).
    public var format: SnapshotFormat
    /// The SHA-256 digest stored in the footer.
    public var storedDigest: [UInt8]
    /// The SHA-256 of the bytes the digest covers: every byte before it
    /// (format 1), or the header and the table of contents (format 2).
    public var computedDigest: [UInt8]
    /// Whether encrypted blocks were authenticated (a key was given).
    public var isAuthenticated: Bool

    /// The first problem found: a bad block, then a digest mismatch.
    public var firstProblem: PackError? {
        if let bad = blocks.first(where: { $0.problem != nil }) { return bad.problem }
        if storedDigest != computedDigest {
            return .digestMismatch(format: format, expected: storedDigest.hexString, actual: computedDigest.hexString)
        }
        return nil
    }
}

extension SnapshotReader {
    /// Checks every block and the footer's digest. Each block is decoded in
    /// full (checksum, authentication, decompression, filter, value checks,
    /// and in format 2 that its statistics are the column's); an encrypted
    /// file opened without a key gets checksums only. Blocks are checked on
    /// all cores, and an uncompressed fixed-width block where it lies in the
    /// mapped file, without a copy.
    public func verify() -> VerificationReport {
        struct Job: Sendable {
            var number: Int
            var descriptor: BlockDescriptor
            var type: FieldType
            var count: Int
            var isColumn: Bool
        }
        var jobs: [Job] = []
        for (archetypeIndex, entry) in contents.archetypes.enumerated() {
            let first = contents.firstBlockNumber(ofArchetype: archetypeIndex)
            let types = [FieldType.uint64] + entry.columnTypes
            for (local, descriptor) in ([entry.entityBlock] + entry.columnBlocks).enumerated() {
                jobs.append(Job(number: first + local, descriptor: descriptor, type: types[local], count: entry.entityCount, isColumn: local > 0))
            }
        }
        let blocks = jobs
        var problems = [PackError?](repeating: nil, count: jobs.count)
        var digest: [[UInt8]] = [[]]
        problems.withUnsafeMutableBufferPointer { slots in digest.withUnsafeMutableBufferPointer { digestSlot in
            // Each job writes only its own slot; the last job is the digest.
            let shared = UncheckedTransfer((slots, digestSlot))
            let check: @Sendable (Int) -> Void = { index in
                guard index < blocks.count else {
                    shared.value.1[0] = self.computeDigest()
                    return
                }
                let job = blocks[index]
                shared.value.0[index] = self.problem(inBlock: job.number, descriptor: job.descriptor, type: job.type, count: job.count, isColumn: job.isColumn)
            }
            let totalRawBytes = jobs.reduce(0) { $0 + $1.descriptor.rawLength }
            if totalRawBytes < Self.parallelDecodeThreshold {
                for index in 0...jobs.count { check(index) }
            } else {
                DispatchQueue.concurrentPerform(iterations: jobs.count + 1, execute: check)
            }
        } }
        let results = zip(jobs, problems).map { job, problem in
            VerificationReport.BlockResult(number: job.number, label: contents.label(ofBlock: job.number), descriptor: job.descriptor, problem: problem)
        }
        return VerificationReport(
            blocks: results, format: format, storedDigest: footer.digest, computedDigest: digest[0],
            isAuthenticated: !header.isEncrypted || hasKey)
    }

    /// What is wrong with one block, or `nil`.
    private func problem(inBlock number: Int, descriptor: BlockDescriptor, type: FieldType, count: Int, isColumn: Bool) -> PackError? {
        do throws(PackError) {
            if header.isEncrypted && !hasKey {
                try checkChecksum(number, descriptor: descriptor)
            } else if !header.isEncrypted, descriptor.codec == .none, descriptor.filter == .none, let width = type.width, type != .bool {
                // The stored bytes are the values, and every bit pattern is a value.
                let stored = storedBytes(of: descriptor)
                guard format != .version1, descriptor.statistics != nil else {
                    // No statistics to check: the checksum alone.
                    try checkChecksum(number, descriptor: descriptor)
                    return nil
                }
                // One trip through memory: each chunk's statistics while the hash has it in the cache.
                var statistics: ColumnStatistics?
                let checksum = XXH3.checksum(stored, chunkSize: (XXH3.chunkBytes / width) * width) { chunk in
                    guard let part = ColumnStatistics.of(raw: chunk, type: type) else { return }
                    statistics = statistics.map { $0.merged(with: part) } ?? part
                }
                guard checksum == descriptor.checksum else {
                    throw .checksumMismatch(
                        block: number, column: contents.label(ofBlock: number),
                        expected: Checksum(.xxh3, descriptor.checksum), actual: Checksum(.xxh3, checksum))
                }
                try checkStatistics(number, descriptor: descriptor, type: type, actual: statistics)
            } else {
                let raw = try decodeBlock(number, descriptor: descriptor, type: type)
                if descriptor.statistics != nil {
                    try checkStatistics(number, descriptor: descriptor, type: type, actual: raw.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: type) })
                }
                if isColumn { _ = try Column(decoding: raw, type: type, count: count, at: Int(descriptor.offset)) }
            }
            return nil
        } catch {
            return error
        }
    }

    /// Checks block `number`'s stored bytes against its checksum only.
    public func checkChecksum(_ number: Int, descriptor: BlockDescriptor) throws(PackError) {
        try BlockDecoder.checkChecksum(
            storedBytes(of: descriptor), descriptor: descriptor, number: number, label: contents.label(ofBlock: number), format: format)
    }

    /// Checks that a block's statistics are its column's (a wrong bound
    /// would make a query skip values that match).
    private func checkStatistics(_ number: Int, descriptor: BlockDescriptor, type: FieldType, actual: ColumnStatistics?) throws(PackError) {
        guard let stated = descriptor.statistics else { return }
        guard actual == stated else {
            throw .malformed(
                offset: Int(descriptor.offset),
                reason: "block \(number) (\(contents.label(ofBlock: number))): its statistics say \(stated.minimum)…\(stated.maximum) with \(stated.nanCount) NaN, the values are \(actual.map { "\($0.minimum)…\($0.maximum) with \($0.nanCount) NaN" } ?? "none")")
        }
    }
}
