/// The result of checking every block of a file and its whole-file hash.
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
    /// The SHA-256 stored in the footer.
    public var storedFileHash: [UInt8]
    /// The SHA-256 of the file's bytes.
    public var computedFileHash: [UInt8]
    /// Whether encrypted blocks were authenticated (a key was given).
    public var isAuthenticated: Bool

    /// The first problem found: a bad block, then a hash mismatch.
    public var firstProblem: PackError? {
        if let bad = blocks.first(where: { $0.problem != nil }) { return bad.problem }
        if storedFileHash != computedFileHash {
            return .fileHashMismatch(expected: storedFileHash.hexString, actual: computedFileHash.hexString)
        }
        return nil
    }
}

extension SnapshotReader {
    /// Checks every block and the whole-file SHA-256. Each block is decoded
    /// in full (checksum, authentication, decompression, filter, value
    /// checks); an encrypted file opened without a key gets checksums only.
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
            blocks: results, storedFileHash: footer.fileHash, computedFileHash: computeFileHash(),
            isAuthenticated: !header.isEncrypted || hasKey)
    }

    /// Checks block `number`'s stored bytes against its CRC-32 only.
    public func checkChecksum(_ number: Int, descriptor: BlockDescriptor) throws(PackError) {
        let actual = CRC32.checksum(storedBytes(of: descriptor))
        guard actual == descriptor.checksum else {
            throw .checksumMismatch(block: number, column: contents.label(ofBlock: number), expected: descriptor.checksum, actual: actual)
        }
    }
}
