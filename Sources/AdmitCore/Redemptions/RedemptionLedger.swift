/// What the gate knows about one ticket's uses.
public struct Presence: Sendable, Equatable {
    /// How many times the ticket has entered.
    public var entries: Int
    /// True when the newest known passage was an entry.
    public var inside: Bool
    /// The newest entry, if any.
    public var lastEntry: RedemptionEvent?
    /// The newest passage either way.
    public var lastEvent: RedemptionEvent
}

/// The set of redemptions this gate knows of, kept apart from the ticket index so that a
/// sync never forgets a local check-in.
///
/// `apply(_:)` is the one way in, for every source (this gate, a sync, another gate):
/// idempotent by scan id and independent of arrival order, because presence is derived
/// from the events themselves ordered by time.
public struct RedemptionLedger: Sendable {
    private var eventsByBarcode: [String: [RedemptionEvent]] = [:]
    private var barcodeByScanID: [String: String] = [:]
    private var inside = 0

    /// An empty ledger.
    public init() {}

    /// A ledger with these events applied.
    public init(events: some Sequence<RedemptionEvent>) {
        for event in events { apply(event) }
    }

    /// Number of distinct events applied.
    public var eventCount: Int { barcodeByScanID.count }

    /// Number of tickets whose newest passage is an entry; O(1), kept by `apply` and `revoke`.
    public var insideCount: Int { inside }

    /// True if an event with this scan id was applied.
    public func contains(scanID: String) -> Bool { barcodeByScanID[scanID] != nil }

    /// What is known about this barcode's uses, or nil if it was never used.
    ///
    /// A use the backend reports without saying which passage it was (eventyay `redeemed`,
    /// AudienceView `alreadyScanned`, ACME `converted`: origin `.backend`) is usually this
    /// gate's own entry coming back from the upload, stamped with the time of the download.
    /// So it counts only for a ticket with no entry of this or another gate: otherwise it
    /// would count an entry twice and, later than a real exit, put the visitor back inside.
    public func presence(of barcode: String) -> Presence? {
        guard var events = eventsByBarcode[barcode], !events.isEmpty else { return nil }
        if events.contains(where: { $0.origin != .backend && $0.direction == .in }) {
            events.removeAll { $0.origin == .backend }
        }
        var newest = events[0]
        var entries = 0
        var lastEntry: RedemptionEvent?
        for event in events {
            if event.direction == .in {
                entries += 1
                if lastEntry.map({ event.time >= $0.time }) ?? true { lastEntry = event }
            }
            if event.time >= newest.time { newest = event }
        }
        return Presence(entries: entries, inside: newest.direction == .in, lastEntry: lastEntry, lastEvent: newest)
    }

    /// Applies an event; returns false (and changes nothing) if its scan id was applied before.
    @discardableResult
    public mutating func apply(_ event: RedemptionEvent) -> Bool {
        guard barcodeByScanID[event.scanID] == nil else { return false }
        let wasInside = isInside(event.barcode)
        barcodeByScanID[event.scanID] = event.barcode
        eventsByBarcode[event.barcode, default: []].append(event)
        countInside(event.barcode, wasInside: wasInside)
        return true
    }

    /// Takes back an event that could not be made durable; false if it was not applied.
    @discardableResult
    public mutating func revoke(scanID: String) -> Bool {
        guard let barcode = barcodeByScanID.removeValue(forKey: scanID) else { return false }
        let wasInside = isInside(barcode)
        eventsByBarcode[barcode]?.removeAll { $0.scanID == scanID }
        if eventsByBarcode[barcode]?.isEmpty == true { eventsByBarcode[barcode] = nil }
        countInside(barcode, wasInside: wasInside)
        return true
    }

    private func isInside(_ barcode: String) -> Bool { presence(of: barcode)?.inside == true }

    // Only the changed ticket is looked at, so `status` never walks the whole ledger.
    private mutating func countInside(_ barcode: String, wasInside: Bool) {
        let now = isInside(barcode)
        if now != wasInside { inside += now ? 1 : -1 }
    }

    /// The known passage `event` clashes with, if applying it would use its ticket more than
    /// the ticket allows: with re-entry, an entry right before or right after it (by time) with
    /// no exit between; without, `entriesAllowed` entries already. Uses the backend reports
    /// (origin `.backend`) do not count: they are usually a gate's own entry coming back.
    /// Two gates that admitted one ticket while they could not hear each other clash.
    public func clash(for event: RedemptionEvent, entriesAllowed: Int, allowsReentry: Bool) -> RedemptionEvent? {
        guard event.direction == .in, let known = eventsByBarcode[event.barcode] else { return nil }
        let others = known.filter { $0.origin != .backend && $0.scanID != event.scanID }
        if allowsReentry {
            let before = others.filter { $0.time <= event.time }.max { $0.time < $1.time }
            if let before, before.direction == .in { return before }
            let after = others.filter { $0.time > event.time }.min { $0.time < $1.time }
            if let after, after.direction == .in { return after }
            return nil
        }
        let entries = others.filter { $0.direction == .in }
        return entries.count >= max(entriesAllowed, 1) ? entries.max { $0.time < $1.time } : nil
    }
}
