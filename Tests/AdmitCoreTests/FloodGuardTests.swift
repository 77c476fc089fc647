import AdmitCore
import Testing

@Suite struct FloodGuardTests {
    @Test func aBurstPassesThenTheFloodIsReportedOnceAndItsEndCounted() {
        var guardian = FloodGuard(ratePerSecond: 10, burst: 3)
        let start = MonotonicInstant(milliseconds: 1000)
        let verdicts = (0..<6).map { _ in guardian.admit(at: start) }
        #expect(verdicts == [.pass, .pass, .pass, .floodBegan, .suppressed, .suppressed])
        #expect(guardian.isFlooding)
        // A flood ends only once the bucket is full again: 300 ms of quiet at 10/s for a burst of 3.
        #expect(guardian.admit(at: start.adding(milliseconds: 100)) == .suppressed)
        #expect(guardian.admit(at: start.adding(milliseconds: 500)) == .passAfterFlood(suppressed: 4))
        #expect(!guardian.isFlooding)
    }

    @Test func aSustainedFloodStaysSuppressedWhateverTheRefill() {
        var guardian = FloodGuard(ratePerSecond: 20, burst: 10)
        var verdicts: [FloodGuard.Verdict] = []
        for step in 0..<1000 { verdicts.append(guardian.admit(at: MonotonicInstant(milliseconds: UInt64(step * 4)))) }
        #expect(verdicts.filter { $0 == .pass }.count == 10)
        #expect(verdicts.filter { $0 == .floodBegan }.count == 1)
    }

    @Test func aSteadyRateWithinTheLimitAlwaysPasses() {
        var guardian = FloodGuard(ratePerSecond: 100, burst: 5)
        for step in 0..<1000 {
            #expect(guardian.admit(at: MonotonicInstant(milliseconds: UInt64(step * 10))) == .pass)
        }
    }
}
