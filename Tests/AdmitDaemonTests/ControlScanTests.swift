import AdmitControl
import AdmitCore
import AdmitDaemon
import Foundation
import Testing

/// `scan` over the control socket: only the way the gate faces, peers named in the record,
/// long barcodes refused, and a rate limit (issue 15, item 1).
@Suite struct ControlScanTests {
    func scan(_ d: TestDaemon, _ barcode: String, direction: String? = nil) throws -> String {
        try d.request(ControlRequest(cmd: "scan", barcode: barcode, direction: direction))
    }

    func decision(_ answer: String) throws -> DecisionReport? {
        try ControlJSON.decode(ScanResponse.self, from: Array(answer.utf8)).decision
    }

    @Test func anOutScanOnAnEntranceGateIsRefusedAndNamesThePeer() throws {
        let d = try TestDaemon()
        let valid = d.samples.valid[0]
        #expect(try decision(scan(d, valid))?.result == "GRANTED")
        let out = try decision(scan(d, valid, direction: "out"))
        #expect(out?.result == "DENIED" && out?.reason == "direction_closed", "\(String(describing: out))")
        #expect(out?.detail == "this gate opens only IN")
        let unused = try decision(scan(d, d.samples.valid[1], direction: "out"))
        #expect(unused?.reason == "direction_closed", "an unused ticket does not open it OUT either")
        #expect(out?.source == "socket uid=\(getuid()) pid=\(getpid())", "\(String(describing: out?.source))")
    }

    @Test func aBarcodeLongerThanTheMaximumIsRefused() throws {
        let d = try TestDaemon()
        let long = try decision(scan(d, String(repeating: "7", count: 300)))
        #expect(long?.reason == "barcode_too_long" && long?.detail == "barcode too long (300 bytes; at most 256)", "\(String(describing: long))")
    }

    @Test func socketScansAreRateLimited() throws {
        let d = try TestDaemon { $0.control.scanRatePerMinute = 3 }
        for n in 0..<3 { #expect(try decision(scan(d, "NOPE-\(n)")) != nil) }
        let refused = try scan(d, "NOPE-4")
        #expect(refused.contains("too many scans") && refused.contains("scan_rate_per_minute"), "\(refused)")
    }

    @Test func theBucketRefillsWithTime() {
        var bucket = ScanRateLimit(perMinute: 2)
        let taken = [0, 0, 1, 29_000_000_000, 31_000_000_000, 31_000_000_001].map { bucket.take(now: UInt64($0)) }
        #expect(taken == [true, true, false, false, true, false], "a burst of 2, then a token every 30 s")
    }
}
