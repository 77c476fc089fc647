import AdmitConfiguration
import AdmitControl
import AdmitCore
import AdmitMesh
import AdmitStore
import Dispatch

/// The mesh, where `[mesh]` is configured: started after the gate loop, stopped before it.
extension Daemon {
    /// The settings the mesh runs with for `config`.
    static func meshSettings(_ mesh: MeshConfig, gate: String) -> MeshSettings {
        MeshSettings(
            nats: NatsOptions(
                servers: mesh.servers, name: "admit \(gate)", credentialsFile: mesh.credentialsFile,
                nkeySeedFile: mesh.nkeySeedFile, user: mesh.user, password: mesh.password, tlsCAFile: mesh.tlsCAFile,
                tlsCertificateFile: mesh.tlsCertificateFile, tlsKeyFile: mesh.tlsKeyFile, tlsRequired: mesh.tls),
            event: mesh.event, gate: gate, replicas: mesh.replicas, duplicateWindowSeconds: Int64(mesh.dedupeWindowSeconds),
            strict: mesh.strict, strictBudgetMilliseconds: mesh.strictBudgetMilliseconds)
    }

    /// Connects to the mesh (in the background) and starts publishing and consuming.
    func startMesh(_ config: MeshConfig, outbox: ScanOutbox, gate: GateLoop) throws {
        let bridge = JournalMeshBridge(outbox: outbox, gate: gate, metrics: metrics, logger: logger)
        let node = try MeshNode(settings: Self.meshSettings(config, gate: self.config.gate.name), journal: bridge)
        node.start()
        gate.onDecision { decision in if decision.isGranted { node.journalChanged() } }
        mesh = node
        if config.strict { meshClaims = useStrictMode(config, node: node, gate: gate) }
        logger.info("mesh: event \(config.event), servers \(config.servers.joined(separator: ", "))\(config.strict ? ", strict" : "")")
    }

    /// Claims each GRANTED entry before it stands; an exit (with re-entry) hands the ticket back.
    private func useStrictMode(_ config: MeshConfig, node: MeshNode, gate: GateLoop) -> MeshClaims {
        let claims = MeshClaims(connection: node.connection, names: node.names, replicas: config.replicas)
        let reentry = self.config.gate.policy.allowsReentry
        gate.useStrictClaim(StrictClaim(budgetMilliseconds: config.strictBudgetMilliseconds) { d in
            let verdict = claims.claim(
                barcode: d.barcode, scanID: d.scanID, gate: d.gate, time: d.time,
                entriesAllowed: d.ticket?.entriesAllowed ?? 1, allowsReentry: reentry)
            switch verdict {
            case .claimed: return .claimed
            case .usedElsewhere(let gate, let time): return .usedElsewhere(gate: gate, time: time)
            case .unconfirmed: return .unconfirmed
            }
        })
        if reentry {
            gate.onDecision { d in
                if d.isGranted, d.direction == .out { DispatchQueue.global(qos: .utility).async { claims.release(barcode: d.barcode) } }
            }
        }
        return claims
    }

    /// The answer to `mesh` (and the mesh part of `status`).
    func meshReport() -> MeshReport? {
        guard let mesh, let outbox else { return nil }
        let status = mesh.state.current
        let conflicts = (try? outbox.meshConflicts()) ?? []
        let now = clock.wall()
        return MeshReport(
            event: mesh.settings.event, servers: status.servers, connected: status.connected, connectedURL: status.connectedURL,
            appliedSequence: status.appliedSequence, lastSequence: status.lastSequence, lag: status.lag,
            catchingUp: status.catchingUp, published: status.published, duplicates: status.duplicates,
            publishError: status.publishError, consumeError: status.consumeError, strict: mesh.settings.strict,
            peers: status.peers.values.sorted { $0.gate < $1.gate }.map { peer in
                MeshReport.Peer(
                    gate: peer.gate, events: peer.events, lastEvent: ISO8601.format(peer.lastEventTime),
                    heardSecondsAgo: max(0, Double(now.millisecondsSince1970 - peer.lastStoredAtMilliseconds) / 1000))
            },
            conflicts: conflicts.map { c in
                MeshReport.Conflict(
                    barcode: c.barcode, gates: [c.first.gate, c.second.gate],
                    times: [ISO8601.format(c.first.time), ISO8601.format(c.second.time)])
            })
    }
}
