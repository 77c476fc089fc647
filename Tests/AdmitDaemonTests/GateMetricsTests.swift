@testable import AdmitCore
import AdmitDaemon
import Testing

@Suite struct GateMetricsTests {
    func decision(granted: Bool, repeat isRepeat: Bool = false) -> Decision {
        Decision(
            scanID: "s", barcode: "b", outcome: granted ? .granted : .denied, denial: granted ? nil : .unknownTicket,
            ticket: nil, gate: "g", direction: .in, source: "t", time: Timestamp(millisecondsSince1970: 0),
            instant: MonotonicInstant(nanoseconds: 0), isRepeat: isRepeat)
    }

    @Test func decisionsLatencyAndGaugesAppearInTheExposition() {
        let metrics = GateMetrics()
        metrics.signal(decision(granted: true), latencyNanoseconds: 3_000)
        metrics.signal(decision(granted: false), latencyNanoseconds: 4_000)
        metrics.signal(decision(granted: false), latencyNanoseconds: 4_000)
        metrics.signal(decision(granted: false, repeat: true), latencyNanoseconds: 0)
        metrics.passage(passed: false)
        metrics.backendError(backend: "vivenu", operation: "sync")
        let text = metrics.exposition(.init(pendingScans: 7, oldestPendingAgeSeconds: 12.5, scannersAttached: 2, tickets: 100))
        #expect(text.contains(#"admit_decisions_total{result="granted",reason="none"} 1"#))
        #expect(text.contains(#"admit_decisions_total{result="denied",reason="unknown_ticket"} 2"#))
        #expect(text.contains("admit_repeat_reads_total 1"))
        #expect(text.contains(#"admit_decision_latency_seconds_bucket{le="0.000005"} 3"#), "\(text)")
        #expect(text.contains("admit_decision_latency_seconds_count 3"))
        #expect(text.contains(#"admit_passages_total{result="not_passed"} 1"#))
        #expect(text.contains(#"admit_backend_errors_total{backend="vivenu",operation="sync"} 1"#))
        #expect(text.contains("admit_pending_scans 7.0"))
        #expect(text.contains("admit_oldest_pending_age_seconds 12.5"))
        #expect(text.contains("admit_scanners_attached 2.0"))
        #expect(text.contains("admit_tickets 100.0"))
        // Never synced: no made-up age of 0.
        #expect(!text.contains("admit_last_sync_age_seconds "))
        let later = metrics.exposition(.init(pendingScans: 0, lastSyncAgeSeconds: 4, scannersAttached: 2, tickets: 100))
        #expect(later.contains("admit_last_sync_age_seconds 4.0"))
    }
}
