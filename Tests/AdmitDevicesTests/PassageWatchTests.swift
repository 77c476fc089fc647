import AdmitDevices
import Logging
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

/// A dead or stuck passage sensor (issue 15, item 3).
@Suite struct SilentSensorTests {
    @Test func timeoutsInARowMakeTheSensorSuspectUntilItsNextEdge() {
        var watch = PassageWatch(timeout: 100, stuckAfter: 3)
        for (i, id) in ["a", "b", "c"].enumerated() { watch.granted(scanID: id, at: UInt64(i) * 1000) }
        #expect(watch.advance(to: 1100) == ["a", "b"])
        #expect(!watch.isSuspect)
        #expect(watch.advance(to: 2100) == ["c"])
        #expect(watch.isSuspect)
        #expect(watch.passed(at: 3000) == nil)  // an unexplained edge still shows the sensor is alive
        #expect(!watch.isSuspect)
    }

    @Test func aSilentSensorStopsGivingTicketsBackAndSaysSo() throws {
        let input = ManualEdgeSource(), clock = ManualMilliseconds()
        let reports = Reports()
        let monitor = PassageMonitor(
            input: input, timeoutMilliseconds: 50, stuckAfter: 2, logger: Logger(label: "test"), now: clock.now
        ) { scanID, outcome in reports.add("\(scanID) \(outcome)") }
        try monitor.start()
        for (i, id) in ["a", "b", "c"].enumerated() {
            clock.set(UInt64(i) * 100)
            monitor.granted(scanID: id)
            _ = monitor.counts()  // the grant is stamped before the clock moves on
            clock.set(UInt64(i) * 100 + 50)
            #expect(waitUntil { reports.all.count == i + 1 }, "\(reports.all)")
        }
        #expect(reports.all == ["a notPassed", "b sensorSilent", "c sensorSilent"])
        #expect(monitor.sensorProblem()?.hasPrefix("passage sensor silent: 3 GRANTED in a row") == true, "\(monitor.sensorProblem() ?? "nil")")
        input.fire(at: 400 * 1_000_000)
        #expect(waitUntil { monitor.sensorProblem() == nil })
        monitor.stop()
    }
}
