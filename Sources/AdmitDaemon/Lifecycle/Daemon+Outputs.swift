import AdmitCore
import AdmitDevices

extension Daemon {
    /// The outputs every gate has: metrics and, when there is one, the console.
    var baseOutputs: [any DecisionOutput] {
        var outputs: [any DecisionOutput] = [metrics]
        if let console = environment.console { outputs.append(console) }
        return outputs
    }

    /// Opens the GPIO lines, LED and passage input of `config`. A failure does not stop the
    /// gate (it can still decide and show the console); it turns the health red instead.
    func startOutputs(_ config: OutputConfig) -> [any DecisionOutput] {
        guard !config.isEmpty else {
            outputProblem = nil
            return []
        }
        do {
            let rig = try OutputRig(config: config, logger: logger) { [weak self] scanID, outcome in
                self?.passageReported(scanID: scanID, outcome: outcome)
            }
            outputRig = rig
            outputProblem = nil
            logger.info("outputs: \(rig.summary.joined(separator: ", "))")
            return rig.outputs
        } catch {
            outputProblem = error.description
            logger.error("outputs: \(error)")
            return []
        }
    }

    /// Switches the lines off and releases them (their fds close with the rig).
    func stopOutputs() {
        outputRig?.stop()
        outputRig = nil
    }

    /// A GRANTED visitor passed, or did not: in that case the ticket is given back.
    private func passageReported(scanID: String, outcome: PassageMonitor.Outcome) {
        metrics.passage(passed: outcome == .passed)
        if outcome == .sensorSilent {
            // A dead sensor would give every ticket back: keep it used, and say so.
            let text = "NOT CONFIRMED scan \(scanID): passage sensor silent, ticket stays used"
            environment.console?.say(text)
            logger.warning("\(text)")
        }
        guard outcome == .notPassed, let gateLoop else { return }
        let console = environment.console
        let logger = logger
        let mesh = mesh, claims = meshClaims
        gateLoop.inspect({ snapshot in
            snapshot.statistics.recent(200).first { $0.decision.scanID == scanID }?.decision.barcode
        }, reply: { barcode in
            gateLoop.revokeNotPassed(scanID: scanID) { revoked in
                if revoked { mesh?.journalChanged() }
                if revoked, let claims, let barcode { claims.release(barcode: barcode, undoing: scanID) }
                let what = barcode ?? "scan \(scanID)"
                let text = revoked
                    ? "NOT PASSED \(what): no passage in time, ticket stays usable"
                    : "NOT PASSED \(what): no passage in time"
                console?.say(text)
                logger.notice("\(text)")
            }
        })
    }
}

extension Daemon {
    /// The Prometheus exposition, sampled on the gate queue.
    func metricsText(reply: @escaping @Sendable (String) -> Void) {
        guard let gateLoop else { return reply("") }
        let pending = outbox?.pendingCount() ?? 0
        let scannerCount = scanners.count
        let metrics = metrics
        let now = clock.monotonic()
        // Scan times are on the backend's clock (as the gate stamps them), so the age is too.
        let oldestAge = pending == 0 ? nil : ((try? outbox?.oldestPendingTime()) ?? nil).map { oldest in
            max(0, Double(serverClock.now(at: now).millisecondsSince1970 - oldest.millisecondsSince1970) / 1000)
        }
        let syncAge = activity.current.lastSyncInstant.map { Double(now.milliseconds(since: $0)) / 1000 }
        if let mesh { metrics.record(mesh: mesh.state.current, unpublished: mesh.state.current.publishBacklog) }
        gateLoop.inspect({ snapshot in
            metrics.exposition(
                GateMetrics.Sample(
                    pendingScans: pending, oldestPendingAgeSeconds: oldestAge, lastSyncAgeSeconds: syncAge,
                    scannersAttached: scannerCount, tickets: snapshot.gate.index.count))
        }, reply: reply)
    }
}

extension Daemon {
    /// Serves `GET /metrics` on the loopback port of `[metrics] http_port`, if set. A port in
    /// use is logged, not fatal: the gate matters more than its numbers.
    func startMetricsEndpoint() {
        guard let port = config.metrics.httpPort else { return }
        do {
            metricsEndpoint = try MetricsHTTPEndpoint(port: port, logger: logger) { [weak self] reply in
                guard let self else { return reply("") }
                metricsText(reply: reply)
            }
            logger.info("metrics on http://127.0.0.1:\(port)/metrics")
        } catch {
            logger.error("metrics endpoint: \(error)")
        }
    }
}
