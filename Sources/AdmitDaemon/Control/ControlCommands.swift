import AdmitControl
import AdmitCore
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The commands of the control socket, mapped onto the daemon.
final class ControlCommands: Sendable {
    let daemon: Daemon
    /// One bucket for every peer: the limit is on what reaches the relay, not per client.
    private let scanRate: Mutex<ScanRateLimit>

    init(daemon: Daemon) {
        self.daemon = daemon
        scanRate = Mutex(ScanRateLimit(perMinute: daemon.config.control.scanRatePerMinute ?? 0))
    }

    func handle(_ request: ControlRequest, peer: UnixSocket.PeerCredentials, reply: @escaping @Sendable ([UInt8]) -> Void) {
        if let refusal = refusal(request.cmd, peer: peer) { return reply(ControlJSON.encode(ErrorResponse(error: refusal))) }
        switch request.cmd {
        case "status":
            daemon.status { reply(ControlJSON.encode($0)) }
        case "scan":
            scan(request, peer: peer, reply: reply)
        case "recent":
            let limit = max(1, min(request.limit ?? 20, 200))
            if request.rejected == true {
                daemon.rejectedScans(limit: limit, reply: reply)
            } else {
                daemon.recentDecisions(limit: limit, reply: reply)
            }
        case "events":
            daemon.backendEvents(reply: reply)
        case "sync":
            reply(ControlJSON.encode(daemon.syncNow()
                ? DoneResponse(message: "sync started") : DoneResponse(message: "no backend to sync with (demo event)")))
        case "flush":
            reply(ControlJSON.encode(daemon.flushNow()
                ? DoneResponse(message: "upload started") : DoneResponse(message: "no backend to upload to (demo event)")))
        case "metrics":
            daemon.metricsText { reply(ControlJSON.encode(MetricsResponse(text: $0))) }
        case "reload":
            // Reloads run on the main queue, like SIGHUP's, so two never overlap.
            DispatchQueue.main.async { [daemon] in
                let report = daemon.reload()
                if report.applied {
                    reply(ControlJSON.encode(DoneResponse(message: report.message)))
                } else {
                    reply(ControlJSON.encode(ErrorResponse(error: report.message)))
                }
            }
        case "mesh":
            if let report = daemon.meshReport() {
                reply(ControlJSON.encode(report))
            } else {
                reply(ControlJSON.encode(ErrorResponse(error: "no mesh: this gate decides alone (no [mesh] in the configuration)")))
            }
        case "devices":
            reply(ControlJSON.encode(DevicesResponse(scanners: daemon.describeScanners())))
        default:
            reply(ControlJSON.encode(ErrorResponse(error: "unknown command \"\(request.cmd)\"")))
        }
    }

    /// Why `peer` may not run `command`, nil when it may. Connecting took the read role;
    /// the other commands need the operate role, checked on each request (a reload applies).
    private func refusal(_ command: String, peer: UnixSocket.PeerCredentials) -> String? {
        let role = ControlRole.needed(for: command)
        guard role == .operate else { return nil }
        let rule = daemon.config.control.roles.access(for: role)
        let who = ControlAccess.Peer(pid: peer.pid, uid: peer.uid, gid: peer.gid)
        let admitted = rule.admits(who, ownUser: getuid(), socketGroup: 0) {
            UserDatabase.supplementaryGroups(pid: peer.pid, uid: peer.uid)
        }
        guard !admitted else { return nil }
        return rule.refusal(
            who, ownUser: getuid(), socketGroup: 0, action: "\(TerminalSafe.text(command)): that needs the operate role",
            groupName: UserDatabase.groupName)
    }

    private func scan(_ request: ControlRequest, peer: UnixSocket.PeerCredentials, reply: @escaping @Sendable ([UInt8]) -> Void) {
        guard daemon.config.control.allowScan else {
            return reply(ControlJSON.encode(ErrorResponse(error: "scan over the control socket is disabled ([control] allow_scan = false)")))
        }
        guard let barcode = request.barcode, !barcode.isEmpty else {
            return reply(ControlJSON.encode(ErrorResponse(error: "scan needs a \"barcode\"")))
        }
        var direction: Direction?
        if let word = request.direction {
            guard let parsed = Direction(rawValue: word.lowercased()) else {
                return reply(ControlJSON.encode(ErrorResponse(error: "direction must be \"in\" or \"out\"")))
            }
            direction = parsed
        }
        guard let gate = daemon.gate else { return reply(ControlJSON.encode(ErrorResponse(error: "gate not running"))) }
        let perMinute = daemon.config.control.scanRatePerMinute ?? 0
        let allowed = perMinute == 0 || scanRate.withLock { bucket in
            if bucket.perMinute != perMinute { bucket = ScanRateLimit(perMinute: perMinute) }  // a reload
            return bucket.take(now: DispatchTime.now().uptimeNanoseconds)
        }
        guard allowed else {
            return reply(ControlJSON.encode(ErrorResponse(
                error: "too many scans over the control socket (at most \(perMinute) a minute, [control] scan_rate_per_minute); try again later")))
        }
        // The record, the journal and `recent` say who asked.
        gate.submit(barcode: barcode, source: "socket uid=\(peer.uid) pid=\(peer.pid)", direction: direction) { decision, latency in
            guard let decision else { return reply(ControlJSON.encode(ErrorResponse(error: "empty barcode"))) }
            reply(ControlJSON.encode(ScanResponse(decision: DecisionReport(decision, latencyNanoseconds: latency))))
        }
    }
}

/// The answer to `devices`.
public struct DevicesResponse: Codable, Sendable {
    public var ok = true
    public var scanners: [ScannerDescription]
}

/// The answer to `metrics`: the Prometheus text exposition.
public struct MetricsResponse: Codable, Sendable {
    public var ok = true
    public var text: String
}
