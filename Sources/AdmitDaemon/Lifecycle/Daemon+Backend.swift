import AdmitBackends
import AdmitCore
import AdmitStore
import Dispatch

/// Control-socket answers that need the backend or the journal, kept off the gate queue.
extension Daemon {
    /// The answer to `events`: what the configured credentials can see at the backend. The
    /// backend is asked from a task of its own (every request has its deadline); the gate
    /// goes on deciding meanwhile.
    func backendEvents(reply: @escaping @Sendable ([UInt8]) -> Void) {
        guard let backend else {
            return reply(ControlJSON.encode(ErrorResponse(
                error: "no ticketing backend to ask: [backend] kind = \"\(config.backend.kind.rawValue)\" serves the embedded demo event")))
        }
        Task.detached {
            do {
                let listing = try await backend.listEvents()
                reply(ControlJSON.encode(EventsResponse(backend: backend.name, listing: listing)))
            } catch {
                reply(ControlJSON.encode(ErrorResponse(error: "could not ask \(backend.name) for its events: \(error)")))
            }
        }
    }

    /// The answer to `recent`: the last decisions, newest first, each with where its record
    /// stands with the backend (read from the journal after leaving the gate queue).
    func recentDecisions(limit: Int, reply: @escaping @Sendable ([UInt8]) -> Void) {
        guard let gate = gateLoop else { return reply(ControlJSON.encode(ErrorResponse(error: "gate not running"))) }
        let outbox = outbox
        gate.inspect({ snapshot in
            snapshot.statistics.recent(limit).map { DecisionReport($0.decision, latencyNanoseconds: $0.latencyNanoseconds) }
        }, reply: { decisions in
            DispatchQueue.global().async {
                var reports = decisions
                let ids = reports.filter { !$0.repeat }.map(\.scanId)
                let states = (try? outbox?.uploadStatus(of: ids)) ?? [:]
                for i in reports.indices {
                    guard !reports[i].repeat, let status = states[reports[i].scanId] else { continue }
                    reports[i].upload = status.state.name
                    switch status.state {
                    case .rejected: reports[i].uploadNote = status.lastError ?? "refused by the backend"
                    case .pending: reports[i].uploadNote = status.lastError
                    case .uploaded, .skipped: break
                    }
                }
                reply(ControlJSON.encode(RecentResponse(decisions: reports)))
            }
        })
    }

    /// The answer to `recent` with `rejected`: the scans the backend refused, newest first,
    /// from the journal.
    func rejectedScans(limit: Int, reply: @escaping @Sendable ([UInt8]) -> Void) {
        guard let outbox else { return reply(ControlJSON.encode(ErrorResponse(error: "journal not open"))) }
        DispatchQueue.global().async {
            do {
                let scans = try outbox.rejectedScans(limit: limit).map(RejectedScanReport.init)
                reply(ControlJSON.encode(RejectedScansResponse(scans: scans, total: try outbox.rejectedCount())))
            } catch {
                reply(ControlJSON.encode(ErrorResponse(error: "\(error)")))
            }
        }
    }
}
