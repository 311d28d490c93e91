/// World-level values that belong to the whole snapshot, not to an entity.
public struct Resources: Sendable, Hashable {
    /// The simulation tick the snapshot was taken after.
    public var tick: UInt64
    /// The simulated time in seconds.
    public var worldTime: Double
    /// The seed the simulation was started with.
    public var seed: UInt64
    /// Any other world-level values, as text. Written sorted by key.
    public var custom: [String: String]

    /// Creates resources.
    public init(tick: UInt64 = 0, worldTime: Double = 0, seed: UInt64 = 0, custom: [String: String] = [:]) {
        self.tick = tick
        self.worldTime = worldTime
        self.seed = seed
        self.custom = custom
    }

    /// Equality compares `worldTime` by bit pattern, so a NaN time equals itself.
    public static func == (lhs: Resources, rhs: Resources) -> Bool {
        lhs.tick == rhs.tick && lhs.worldTime.bitPattern == rhs.worldTime.bitPattern
            && lhs.seed == rhs.seed && lhs.custom == rhs.custom
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tick)
        hasher.combine(worldTime.bitPattern)
        hasher.combine(seed)
        hasher.combine(custom)
    }
}
