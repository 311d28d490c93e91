#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong reading or writing snapshots, with the
/// place it went wrong. `description` is one line meant for a person;
/// callers that know the file name put it in front.
public enum PackError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An operating-system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// An output path names something that is not a regular file (a device,
    /// a FIFO, a link, a directory); it is never replaced.
    case notARegularFile(path: String)
    /// The bytes do not start with the native snapshot magic.
    case notASnapshot(found: [UInt8])
    /// The file was written by a newer major version of the format.
    case newerVersion(major: UInt16, minor: UInt16)
    /// A read needed `needed` bytes at `offset` and only `available` were left.
    case truncated(needed: Int, available: Int, offset: Int)
    /// A structure is inconsistent at `offset`.
    case malformed(offset: Int, reason: String)
    /// The stored bytes of a block do not match their checksum.
    case checksumMismatch(block: Int, column: String, expected: Checksum, actual: Checksum)
    /// The table of contents does not match its checksum.
    case tableOfContentsChecksumMismatch(expected: Checksum, actual: Checksum)
    /// The footer's SHA-256 does not match the bytes it covers: every byte
    /// before it (format 1), or the header and table of contents (formats 2 and 3).
    case digestMismatch(format: SnapshotFormat, expected: String, actual: String)
    /// The file is encrypted and no key was given.
    case keyRequired
    /// The key given is not the one the file was encrypted with.
    case wrongKey
    /// An encrypted block failed authentication: tampered or reordered.
    case tamperedBlock(block: Int, column: String)
    /// The encrypted file's table of contents failed authentication.
    case tamperedTableOfContents
    /// A block's codec could not decode it.
    case decompressionFailed(block: Int, column: String, codec: String, reason: String)
    /// A declared size is beyond what the format or the codec allows.
    case sizeLimitExceeded(what: String, declared: UInt64, limit: UInt64)
    /// A world does not satisfy the model's invariants.
    case invalidWorld(String)
    /// A key file is unusable.
    case invalidKey(String)
    /// A codec or cipher call failed for a reason other than bad input.
    case library(String)

    public var description: String {
        switch self {
        case let .io(operation, path, errno):
            return "\(operation) \(path): \(String(cString: strerror(errno)))"
        case let .notARegularFile(path):
            return "\(path) exists and is not a regular file; refusing to replace it"
        case let .notASnapshot(found):
            // Never the bytes themselves: the file may be a key.
            return found.isEmpty ? "not a Tickscope snapshot file (it is empty)"
                : "not a Tickscope snapshot file (it does not start with the TSCP magic)"
        case let .newerVersion(major, minor):
            return "written by a newer version of the format (\(major).\(minor)); this tickscope reads major versions up to \(SnapshotFormat.allCases.last!.rawValue)"
        case let .truncated(needed, available, offset):
            return "truncated at offset \(offset): needed \(needed) bytes, \(available) left"
        case let .malformed(offset, reason):
            return "malformed at offset \(offset): \(reason)"
        case let .checksumMismatch(block, column, expected, actual):
            return "checksum mismatch in block \(block) (\(column)): expected \(expected), found \(actual)"
        case let .tableOfContentsChecksumMismatch(expected, actual):
            return "checksum mismatch in the table of contents: expected \(expected), found \(actual)"
        case let .digestMismatch(format, expected, actual):
            let covered = format == .version1 ? "whole-file SHA-256" : "SHA-256 of the header and table of contents"
            return "\(covered) mismatch: expected \(expected), found \(actual)"
        case .keyRequired:
            return "the file is encrypted: give a key with --key-file or TICKSCOPE_KEY_FILE"
        case .wrongKey:
            return "wrong key: the file was encrypted with a different key"
        case let .tamperedBlock(block, column):
            return "block \(block) (\(column)) failed authentication: it was tampered with or moved"
        case .tamperedTableOfContents:
            return "the table of contents failed authentication: it was tampered with"
        case let .decompressionFailed(block, column, codec, reason):
            return "\(codec) could not decode block \(block) (\(column)): \(reason)"
        case let .sizeLimitExceeded(what, declared, limit):
            return "\(what) declares \(declared), beyond the limit of \(limit)"
        case let .invalidWorld(reason):
            return "invalid world: \(reason)"
        case let .invalidKey(reason):
            return "unusable key: \(reason)"
        case let .library(reason):
            return reason
        }
    }
}
