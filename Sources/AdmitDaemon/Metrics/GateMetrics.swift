import AdmitCore
import CoreMetrics
import Prometheus
import Synchronization

/// The gate's Prometheus metrics, kept in its own registry (no global metrics system):
/// decisions by result and reason, decision latency, passages, and the gauges sampled on
/// each scrape (pending scans, oldest pending age, last sync age, scanners, tickets).
///
/// It is a `DecisionOutput`, so it counts exactly what the gate signalled.
public final class GateMetrics: DecisionOutput {
    /// What a scrape samples from the rest of the daemon; nil fields are left out.
    public struct Sample: Sendable {
        /// Scans recorded but not yet acknowledged by the backend.
        public var pendingScans: Int
        /// Seconds since the oldest pending scan was recorded.
        public var oldestPendingAgeSeconds: Double?
        /// Seconds since the last successful sync.
        public var lastSyncAgeSeconds: Double?
        /// Scanners attached and reading.
        public var scannersAttached: Int
        /// Tickets in the index.
        public var tickets: Int

        /// Creates a sample.
        public init(pendingScans: Int, oldestPendingAgeSeconds: Double? = nil, lastSyncAgeSeconds: Double? = nil, scannersAttached: Int, tickets: Int) {
            self.pendingScans = pendingScans
            self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
            self.lastSyncAgeSeconds = lastSyncAgeSeconds
            self.scannersAttached = scannersAttached
            self.tickets = tickets
        }
    }

    private let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Mesh gauges and counters by label and dimensions (GateMetrics+Mesh.swift).
    let meshInstruments = Mutex<[String: any Sendable]>([:])
    private let decisions = Mutex<[String: CoreMetrics.Counter]>([:])
    private let backendErrors = Mutex<[String: CoreMetrics.Counter]>([:])
    private let repeats: CoreMetrics.Counter
    private let latency: CoreMetrics.Timer
    private let passed: CoreMetrics.Counter
    private let notPassed: CoreMetrics.Counter
    private let pending: CoreMetrics.Gauge
    private let oldestPending: CoreMetrics.Gauge
    private let lastSync = Mutex<CoreMetrics.Gauge?>(nil)  // made at the first sync: no made-up 0
    private let scanners: CoreMetrics.Gauge
    private let tickets: CoreMetrics.Gauge

    /// Creates the metrics with their own registry.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Decisions take microseconds: buckets from 1 µs to 10 ms, then the slow tail.
        factory.durationHistogramBuckets["admit_decision_latency_seconds"] = [
            .microseconds(1), .microseconds(2), .microseconds(5), .microseconds(10), .microseconds(20),
            .microseconds(50), .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(10),
            .milliseconds(100),
        ]
        self.factory = factory
        repeats = CoreMetrics.Counter(label: "admit_repeat_reads_total", factory: factory)
        latency = CoreMetrics.Timer(label: "admit_decision_latency_seconds", factory: factory)
        passed = CoreMetrics.Counter(label: "admit_passages_total", dimensions: [("result", "passed")], factory: factory)
        notPassed = CoreMetrics.Counter(label: "admit_passages_total", dimensions: [("result", "not_passed")], factory: factory)
        pending = CoreMetrics.Gauge(label: "admit_pending_scans", factory: factory)
        oldestPending = CoreMetrics.Gauge(label: "admit_oldest_pending_age_seconds", factory: factory)
        scanners = CoreMetrics.Gauge(label: "admit_scanners_attached", factory: factory)
        tickets = CoreMetrics.Gauge(label: "admit_tickets", factory: factory)
    }

    public func signal(_ decision: Decision, latencyNanoseconds: UInt64) {
        if decision.isRepeat { return repeats.increment() }
        latency.recordNanoseconds(latencyNanoseconds)
        let result = decision.isGranted ? "granted" : "denied"
        let reason = decision.denial?.code ?? "none"
        counter(in: decisions, "admit_decisions_total", [("result", result), ("reason", reason)]).increment()
    }

    /// Counts a GRANTED visitor who passed, or who did not within the timeout.
    public func passage(passed didPass: Bool) { (didPass ? passed : notPassed).increment() }

    /// Counts a failed backend request (`operation`: sync, upload, realtime).
    public func backendError(backend: String, operation: String) {
        counter(in: backendErrors, "admit_backend_errors_total", [("backend", backend), ("operation", operation)]).increment()
    }

    /// The Prometheus text exposition after taking `sample`.
    public func exposition(_ sample: Sample) -> String {
        pending.record(sample.pendingScans)
        oldestPending.record(sample.oldestPendingAgeSeconds ?? 0)
        if let age = sample.lastSyncAgeSeconds {
            lastSync.withLock { gauge in
                if gauge == nil { gauge = CoreMetrics.Gauge(label: "admit_last_sync_age_seconds", factory: factory) }
                gauge?.record(age)
            }
        }
        scanners.record(sample.scannersAttached)
        tickets.record(sample.tickets)
        return registry.emitToString()
    }

    private func counter(in cache: borrowing Mutex<[String: CoreMetrics.Counter]>, _ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        let key = dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return cache.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }
}
