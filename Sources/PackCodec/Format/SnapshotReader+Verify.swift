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
    /// file opened without a key gets checksums only.
    public func verify() -> VerificationReport {
        var results: [VerificationReport.BlockResult] = []
        for (archetypeIndex, entry) in contents.archetypes.enumerated() {
            let first = contents.firstBlockNumber(ofArchetype: archetypeIndex)
            let types = [FieldType.uint64] + entry.columnTypes
            for (local, descriptor) in ([entry.entityBlock] + entry.columnBlocks).enumerated() {
                let number = first + local
                var problem: PackError?
                do throws(PackError) {
                    if header.isEncrypted && !hasKey {
                        try checkChecksum(number, descriptor: descriptor)
                    } else {
                        let raw = try decodeBlock(number, descriptor: descriptor, type: types[local])
                        try checkStatistics(number, descriptor: descriptor, type: types[local], raw: raw)
                        if local > 0 {
                            _ = try Column(decoding: raw, type: types[local], count: entry.entityCount, at: Int(descriptor.offset))
                        }
                    }
                } catch {
                    problem = error
                }
                results.append(.init(number: number, label: contents.label(ofBlock: number), descriptor: descriptor, problem: problem))
            }
        }
        return VerificationReport(
            blocks: results, format: format, storedDigest: footer.digest, computedDigest: computeDigest(),
            isAuthenticated: !header.isEncrypted || hasKey)
    }

    /// Checks block `number`'s stored bytes against its checksum only.
    public func checkChecksum(_ number: Int, descriptor: BlockDescriptor) throws(PackError) {
        try BlockDecoder.checkChecksum(
            storedBytes(of: descriptor), descriptor: descriptor, number: number, label: contents.label(ofBlock: number), format: format)
    }

    /// Checks that a block's statistics are its column's (a wrong bound
    /// would make a query skip values that match).
    private func checkStatistics(_ number: Int, descriptor: BlockDescriptor, type: FieldType, raw: [UInt8]) throws(PackError) {
        guard let stated = descriptor.statistics else { return }
        let actual = raw.withUnsafeBytes { ColumnStatistics.of(raw: $0, type: type) }
        guard actual == stated else {
            throw .malformed(
                offset: Int(descriptor.offset),
                reason: "block \(number) (\(contents.label(ofBlock: number))): its statistics say \(stated.minimum)…\(stated.maximum) with \(stated.nanCount) NaN, the values are \(actual.map { "\($0.minimum)…\($0.maximum) with \($0.nanCount) NaN" } ?? "none")")
        }
    }
}
