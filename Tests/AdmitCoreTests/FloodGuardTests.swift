import AdmitCore
import Testing

@Suite struct FloodGuardTests {
    @Test func aBurstPassesThenTheFloodIsReportedOnceAndItsEndCounted() {
        var guardian = FloodGuard(ratePerSecond: 10, burst: 3)
        let start = MonotonicInstant(milliseconds: 1000)
        let verdicts = (0..<6).map { _ in guardian.admit(at: start) }
        #expect(verdicts == [.pass, .pass, .pass, .floodBegan, .suppressed, .suppressed])
        #expect(guardian.isFlooding)
        // 100 ms later one token has come back.
        #expect(guardian.admit(at: start.adding(milliseconds: 100)) == .passAfterFlood(suppressed: 3))
        #expect(!guardian.isFlooding)
    }

    @Test func aSteadyRateWithinTheLimitAlwaysPasses() {
        var guardian = FloodGuard(ratePerSecond: 100, burst: 5)
        for step in 0..<1000 {
            #expect(guardian.admit(at: MonotonicInstant(milliseconds: UInt64(step * 10))) == .pass)
        }
    }
}
