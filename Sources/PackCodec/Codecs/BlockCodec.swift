/// How a block's bytes are compressed. Each block chooses its own.
public enum BlockCodec: Sendable, Hashable, CustomStringConvertible {
    /// Stored as is.
    case none
    /// lz4 block format: fast to write, very fast to read.
    case lz4
    /// zstd at a level from 1 (fastest) to 19 (smallest).
    case zstd(level: Int)

    /// The codec's code in the file (`docs/FORMAT.md`, "Block descriptor").
    var code: UInt8 {
        switch self {
        case .none: 0
        case .lz4: 1
        case .zstd: 2
        }
    }

    /// The level byte stored beside the code (0 unless zstd).
    var levelByte: UInt8 {
        if case .zstd(let level) = self { return UInt8(level) }
        return 0
    }

    /// Rebuilds a codec from its stored code and level, if they are valid.
    init?(code: UInt8, level: UInt8) {
        switch (code, level) {
        case (0, 0): self = .none
        case (1, 0): self = .lz4
        case (2, _) where Zstd.levels.contains(Int(level)): self = .zstd(level: Int(level))
        default: return nil
        }
    }

    /// Parses `none`, `lz4`, `zstd` (level 3) or `zstd:N` with N in 1...19.
    public init?(codecArgument argument: String) {
        switch argument.lowercased() {
        case "none": self = .none
        case "lz4": self = .lz4
        case "zstd": self = .zstd(level: 3)
        default:
            let parts = argument.lowercased().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "zstd", let level = Int(parts[1]), Zstd.levels.contains(level)
            else { return nil }
            self = .zstd(level: level)
        }
    }

    /// `none`, `lz4` or `zstd:N`, the form ``init(codecArgument:)`` parses.
    public var description: String {
        switch self {
        case .none: "none"
        case .lz4: "lz4"
        case .zstd(let level): "zstd:\(level)"
        }
    }
}
