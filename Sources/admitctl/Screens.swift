import AdmitCore
import AdmitDaemon

/// The `admitctl status` screen.
enum StatusScreen {
    static func render(_ s: StatusReport, color: Bool) -> String {
        let paint: (String) -> String = { word in
            guard color else { return word.uppercased() }
            let code = s.health == "green" ? "1;32" : s.health == "amber" ? "1;33" : "1;31"
            return "\u{1B}[\(code)m\(word.uppercased())\u{1B}[0m"
        }
        let refused = s.rejectedScans.flatMap { $0 > 0 ? ", \($0) refused by the backend (admitctl recent --rejected)" : nil } ?? ""
        // Only the health word is painted; everything after it is made terminal-safe, since
        // errors, notes and names quote backends and devices.
        return paint(s.health) + TerminalSafe.lines("""
              \(s.healthReason)
            gate        \(s.gate) (\(s.direction.uppercased())\(s.area.map { ", area \($0)" } ?? ""))   state \(s.state)
            backend     \(s.backend)   last sync \(s.lastSync ?? "never")\(s.lastError.map { "   last error: \($0)" } ?? "")
            """ + (s.backendNotes ?? []).map { "\n            \($0)" }.joined()
            + (s.backendStatus.map { "\n" + remoteLines(s.backend, $0) } ?? "") + """

            tickets     \(s.tickets) (generation \(s.indexGeneration))   inside \(s.inside)
            decisions   \(s.granted) granted, \(s.denied) denied, \(s.repeats) repeat reads
            outbox      \(s.pendingScans) scans waiting for upload\(refused)
            scanners    \(s.scanners)   uptime \(s.uptimeS) s   admitd \(s.version)
            """ + (s.outputs.map { "\noutputs     " + $0.joined(separator: ", ") } ?? "")
            + (s.mesh.map { "\n" + MeshScreen.summary($0) } ?? ""))
    }

    /// The backend's own counts: one line of totals, one of products.
    static func remoteLines(_ backend: String, _ r: BackendStatusReport) -> String {
        var lines: [String] = []
        if let checkins = r.checkins, let total = r.total {
            let event = r.event.map { " (\($0))" } ?? ""
            lines.append("  at \(backend)  \(checkins) of \(total) checked in\(event)   as of \(r.asOf ?? "?")")
            let items = (r.items ?? []).map { item in
                "\(item.name) \(item.checkins)/\(item.total)\(item.admission == false ? " (no admission)" : "")"
            }
            if !items.isEmpty { lines.append("            " + items.joined(separator: " · ")) }
        }
        if let error = r.error { lines.append("  at \(backend)  counts not available: \(error)") }
        return lines.joined(separator: "\n")
    }
}

/// Lines of `admitctl recent`.
enum RecentLines {
    /// A decision and where its record stands with the backend.
    static func line(_ d: DecisionReport) -> String {
        // Every field but the time and the result word came from outside (a scanner, a
        // socket peer, a backend): shown terminal-safe.
        TerminalSafe.text("\(d.time)  ") + d.result.padding(toLength: 8, withPad: " ", startingAt: 0)
            + TerminalSafe.text(" \(d.barcode)  \(d.detail)  [\(d.source)]" + upload(d))
    }

    static func upload(_ d: DecisionReport) -> String {
        switch d.upload {
        case "rejected"?: "  REJECTED by the backend: \(d.uploadNote ?? "no reason given")"
        case "pending"?: d.uploadNote.map { "  upload pending (last attempt: \($0))" } ?? "  upload pending"
        case "uploaded"?: "  uploaded"
        case "skipped"?: "  not sent (the backend takes no such scans)"
        default: ""
        }
    }

    /// The scans the backend refused.
    static func rejected(_ r: RejectedScansResponse) -> String {
        guard !r.scans.isEmpty else { return "no scan was refused by the backend" }
        var lines = ["\(r.total) scans refused by the backend\(r.total > r.scans.count ? ", newest \(r.scans.count):" : ":")"]
        for s in r.scans {
            lines.append(TerminalSafe.text(
                "\(s.time)  \(s.result.padding(toLength: 8, withPad: " ", startingAt: 0)) \(s.barcode)  [\(s.source) \(s.direction.uppercased())]  "
                    + "\(s.reason)  (after \(s.attempts) attempt\(s.attempts == 1 ? "" : "s"))"))
        }
        return lines.joined(separator: "\n")
    }
}

/// The `admitctl backend events` listing.
enum EventsScreen {
    static func render(_ r: EventsResponse) -> String {
        var lines: [String] = []
        if r.listed {
            lines.append("\(r.backend): \(r.events.count) visible to these credentials ([backend] \(r.configKey)):")
        } else if let note = r.note {
            lines.append("\(r.backend): \(note)")
        }
        let width = min(40, r.events.map(\.id.count).max() ?? 0)
        for e in r.events {
            let mark = e.id == r.configured ? "*" : " "
            let words = [e.name, e.detail.map { "(\($0))" } ?? ""].filter { !$0.isEmpty }.joined(separator: "  ")
            lines.append("\(mark) \(e.id.padding(toLength: max(width, e.id.count), withPad: " ", startingAt: 0))  \(words)")
        }
        if r.listed, r.events.isEmpty { lines.append("  (none)") }
        if r.configured != nil, !r.events.isEmpty {
            lines.append("* = the one this gate is configured for")
        } else if r.listed {
            lines.append("this gate's configuration names none of them")
        }
        if r.listed, let note = r.note { lines.append(note) }
        return lines.joined(separator: "\n")
    }
}
