/// The splitmix64 generator of `bench/WORKLOADS.md`, state starting at 42
/// unless given: every workload draws from it in a fixed order, so figures
/// from different implementations compare one to one.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state.
    public private(set) var state: UInt64

    /// Creates a generator with the given state (WORKLOADS.md uses 42).
    public init(state: UInt64 = 42) { self.state = state }

    /// The next 64-bit output.
    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `u()` of WORKLOADS.md: a Float32 in [0, 1) from the top 24 bits.
    public mutating func unitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }
}
