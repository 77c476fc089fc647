import AdmitCore

/// Words for decisions, shared by the console, `admitctl` and the control socket.
public enum DecisionText {
    /// The human reason of a denial, e.g. "already used 19:55:01 at north-1". Backend
    /// messages and gate names in it are made terminal-safe (`TerminalSafe`).
    public static func reason(_ denial: DenialReason) -> String { TerminalSafe.text(rawReason(denial)) }

    private static func rawReason(_ denial: DenialReason) -> String {
        switch denial {
        case .unknownTicket: return "unknown ticket"
        case .cancelled(let message): return message.map { "cancelled: \($0)" } ?? "cancelled"
        case .blocked(let message): return message.map { "blocked: \($0)" } ?? "blocked"
        case .alreadyUsed(let time, let gate):
            return gate.isEmpty
                ? "already used \(LocalTime.clock(time, millis: false))"
                : "already used \(LocalTime.clock(time, millis: false)) at \(gate)"
        case .notYetValid(let from): return "not yet valid (from \(LocalTime.dateTime(from)))"
        case .expired(let until): return "expired (until \(LocalTime.dateTime(until)))"
        case .wrongArea(let gateArea, let ticketAreas):
            return "wrong entry area (ticket: \(ticketAreas.joined(separator: ", ")); gate: \(gateArea))"
        case .wrongDirection: return "exit without entry"
        case .rejectedByBackend(let message): return "refused by backend: \(message)"
        case .directionClosed(let opens): return "this gate opens only \(opens.label)"
        case .barcodeTooLong(let bytes, let maximum): return "barcode too long (\(bytes) bytes; at most \(maximum))"
        }
    }

    /// What follows the barcode on a console line: the ticket for a GRANTED, the reason
    /// for a DENIED, and the backend's message where the ticket has one; terminal-safe.
    public static func detail(_ d: Decision) -> String { TerminalSafe.text(rawDetail(d)) }

    private static func rawDetail(_ d: Decision) -> String {
        var text: String
        if let denial = d.denial {
            text = rawReason(denial)
        } else {
            let type = d.ticket.map { $0.typeName.isEmpty ? "ticket \($0.id)" : $0.typeName } ?? "ticket"
            text = "\(type) · \(d.gate) \(d.direction.label)"
            if let message = d.ticket?.message { text += " · \(message)" }
        }
        if d.isRepeat { text += " (repeat read)" }
        return text
    }
}
