import Foundation

/// The crash loop's one source of randomness (SplitMix64), seeded from `ADMIT_CRASH_SEED`
/// when set, else from the system. The seed fixes every choice the loop makes: the reads,
/// the gaps between them, which rounds start without the ticket cache, and where in each
/// round the kill falls (as a fraction of the round). It cannot fix the machine's timing, so
/// a replay repeats the same script; the instant inside the daemon that a fraction lands on
/// is as close as the timing allows.
struct CrashLoopRandom: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from `ADMIT_CRASH_SEED` (decimal), or a fresh one; `salt` gives each test of
    /// the suite its own stream from the one seed.
    static func fromEnvironment(salt: UInt64) -> CrashLoopRandom {
        let given = ProcessInfo.processInfo.environment["ADMIT_CRASH_SEED"].flatMap { UInt64($0) }
        return CrashLoopRandom(seed: (given ?? drawn) ^ salt)
    }

    /// One seed for the whole test process, so one `ADMIT_CRASH_SEED` replays every test.
    private static let drawn: UInt64 = {
        var system = SystemRandomNumberGenerator()
        return system.next()
    }()

    /// The seed to put in `ADMIT_CRASH_SEED` to replay this stream (the salt taken back off).
    func replaySeed(salt: UInt64) -> UInt64 { seed ^ salt }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
