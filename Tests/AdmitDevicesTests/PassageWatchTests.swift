import AdmitDevices
import Testing

@Suite struct PassageWatchTests {
    @Test func aPassageWithinTheTimeoutAdmitsTheOldestWaiting() {
        var watch = PassageWatch(timeout: 10_000)
        watch.granted(scanID: "a", at: 0)
        watch.granted(scanID: "b", at: 1000)
        #expect(watch.passed(at: 2000) == "a")
        #expect(watch.passed(at: 3000) == "b")
        #expect(watch.nextDeadline == nil)
    }

    @Test func noPassageInTimeReportsTheScan() {
        var watch = PassageWatch(timeout: 10_000)
        watch.granted(scanID: "a", at: 0)
        watch.granted(scanID: "b", at: 5000)
        #expect(watch.advance(to: 9_999) == [])
        #expect(watch.advance(to: 10_000) == ["a"])
        #expect(watch.nextDeadline == 15_000)
        #expect(watch.passed(at: 12_000) == "b")
    }

    @Test func anEdgeWithNobodyWaitingIsUnexplained() {
        var watch = PassageWatch(timeout: 1000)
        #expect(watch.passed(at: 5) == nil)
        watch.granted(scanID: "a", at: 0)
        #expect(watch.passed(at: 1001) == nil)  // too late: "a" timed out
        #expect(watch.unexplainedPassages == 2)
    }
}
