import AdmitMesh
import CoreMetrics

/// The mesh's metrics: lags, peers, conflicts.
extension GateMetrics {
    /// Counts a conflict found here (`admit_mesh_conflicts_total`).
    public func meshConflict() { meshCounter("admit_mesh_conflicts_total", []).increment() }

    /// Records the mesh's status before an exposition: `admit_mesh_connected`, the stream
    /// sequences, `admit_mesh_apply_lag_messages`, `admit_mesh_apply_lag_seconds`,
    /// `admit_mesh_publish_backlog` (this gate's events not yet acknowledged) and
    /// `admit_mesh_peer_last_event_timestamp_seconds{gate}`.
    public func record(mesh status: MeshStatus, unpublished: Int) {
        meshGauge("admit_mesh_connected", []).record(status.connected ? 1 : 0)
        meshGauge("admit_mesh_applied_sequence", []).record(Int(status.appliedSequence))
        meshGauge("admit_mesh_last_sequence", []).record(Int(status.lastSequence))
        meshGauge("admit_mesh_apply_lag_messages", []).record(Int(status.lag))
        meshGauge("admit_mesh_apply_lag_seconds", []).record(Double(max(0, status.applyLagMilliseconds)) / 1000)
        meshGauge("admit_mesh_publish_backlog", []).record(unpublished)
        for peer in status.peers.values {
            meshGauge("admit_mesh_peer_last_event_timestamp_seconds", [("gate", peer.gate)])
                .record(Double(peer.lastEventTime.millisecondsSince1970) / 1000)
        }
    }

    private func meshGauge(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Gauge {
        instrument(label, dimensions) { CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory) }
    }

    private func meshCounter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        instrument(label, dimensions) { CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory) }
    }

    private func instrument<T: Sendable>(_ label: String, _ dimensions: [(String, String)], make: () -> T) -> T {
        let key = label + "|" + dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return meshInstruments.withLock { cache in
            if let made = cache[key] as? T { return made }
            let made = make()
            cache[key] = made
            return made
        }
    }
}
