import AdmitCore

/// The mutable data of the AudienceView fake, guarded by the API's mutex.
struct AudienceViewFakeState {
    /// An open session.
    struct Session {
        var username: String
        var expiry: Timestamp
    }

    /// An error to answer the next matching request with.
    struct Injected {
        var code: Int
        var forceLogout: Bool?
        var path: String?
    }

    /// A scan already taken, so a re-sent one is not a second entry.
    struct ScanKey: Hashable {
        var ticketId: Int64
        var scanTime: Int64
    }

    var tickets: [AudienceViewFakeTicket] = []
    var slotByBarcode: [String: Int] = [:]
    var slotByTicketID: [Int64: Int] = [:]
    /// Slots scanned (by `syncScans`, `validateTicket` or `markScanned`).
    var scanned: Set<Int> = []
    var sessions: [String: Session] = [:]
    var tokensIssued = 0
    var logins = 0
    var invalidations = 0
    var passwordExpired = false
    var scanningPermission = true
    var injected: [Injected] = []
    var scans: [AudienceViewSyncedScan] = []
    var scanKeys: Set<ScanKey> = []

    /// Adds tickets, or replaces those with the same ticket id.
    mutating func upsert(_ new: [AudienceViewFakeTicket]) {
        for ticket in new {
            if let slot = slotByTicketID[ticket.ticketId] {
                slotByBarcode[tickets[slot].barcode] = nil
                tickets[slot] = ticket
                slotByBarcode[ticket.barcode] = slot
            } else {
                slotByTicketID[ticket.ticketId] = tickets.count
                slotByBarcode[ticket.barcode] = tickets.count
                tickets.append(ticket)
            }
        }
    }

    /// Takes the first injected error meant for `path`, if any.
    mutating func takeInjected(path: String) -> Injected? {
        guard let index = injected.firstIndex(where: { $0.path == nil || $0.path == path }) else { return nil }
        return injected.remove(at: index)
    }
}
