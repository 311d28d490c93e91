import ArgumentParser
import PackCodec

extension BlockCodec: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(codecArgument: argument)
    }

    public static var defaultCompletionKind: CompletionKind { .list(["none", "lz4", "zstd", "zstd:1", "zstd:3", "zstd:9", "zstd:19"]) }
}
