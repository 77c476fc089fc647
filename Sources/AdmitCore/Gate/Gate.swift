/// The gate's whole decision state: policy, ticket index, redemption ledger and the
/// debounce memory. A value owned by one serial queue in the shell; it never reads a clock.
///
/// `decide(_:)` looks the barcode up, applies the policy, and for a GRANTED read applies the
/// redemption to the ledger at once, so the very next read of the same ticket is refused
/// even before the record is on disk.
public struct Gate: Sendable {
    /// The rules in force.
    public var policy: GatePolicy
    /// How barcodes are normalized before lookup.
    public var normalizer: BarcodeNormalizer
    /// The current ticket generation.
    public private(set) var index: TicketIndex
    /// Who went in (and out).
    public private(set) var ledger: RedemptionLedger
    private var lastReads: [String: Decision] = [:]

    /// Creates a gate with a ticket index and the redemptions known so far.
    public init(
        policy: GatePolicy, normalizer: BarcodeNormalizer = BarcodeNormalizer(),
        index: TicketIndex, ledger: RedemptionLedger = RedemptionLedger()
    ) {
        self.policy = policy
        self.normalizer = normalizer
        self.index = index
        self.ledger = ledger
    }

    /// Decides one read. Returns nil when nothing is left of the barcode after normalization.
    ///
    /// With a realtime `verdict` (asked within the time budget before deciding): a local
    /// refusal stands (this gate may know of a use the backend has not heard of yet); a
    /// backend refusal refuses; a ticket the index does not know yet but the backend admits
    /// (sold a minute ago) is admitted with the backend's view of it.
    public mutating func decide(_ read: Read, verdict: BackendVerdict? = nil) -> Decision? {
        guard var barcode = normalizer.normalize(read.rawBarcode) else { return nil }
        var tooLong: DenialReason?
        if barcode.utf8.count > policy.maximumBarcodeBytes {
            tooLong = .barcodeTooLong(bytes: barcode.utf8.count, maximum: policy.maximumBarcodeBytes)
            barcode = Self.prefix(of: barcode, bytes: policy.maximumBarcodeBytes)  // what the journal keeps
        }
        let direction = read.direction ?? policy.direction
        if tooLong == nil, let previous = lastReads[barcode],
            read.instant.milliseconds(since: previous.instant) < policy.debounceMilliseconds,
            previous.direction == direction
        {
            var repeated = previous
            repeated.scanID = read.scanID
            repeated.source = read.source
            repeated.time = read.time
            repeated.isRepeat = true
            return repeated  // the window runs from the first read, not from each repeat
        }
        var ticket = tooLong == nil ? index.lookup(barcode) : nil
        if ticket == nil, tooLong == nil, case .granted(let fresh?) = verdict { ticket = fresh }
        var denial = ticket.map { evaluate($0, direction: direction, at: read.time) } ?? tooLong ?? .unknownTicket
        if denial == nil, case .denied(let message) = verdict { denial = .rejectedByBackend(message: message) }
        let decision = Decision(
            scanID: read.scanID, barcode: barcode, outcome: denial == nil ? .granted : .denied,
            denial: denial, ticket: ticket, gate: policy.gateName, direction: direction,
            source: read.source, time: read.time, instant: read.instant, isRepeat: false)
        if let redemption = decision.redemption { ledger.apply(redemption) }
        if tooLong == nil { remember(decision) }  // its cut barcode must not debounce a real one
        return decision
    }

    /// Applies a redemption learned elsewhere (a sync, another gate). False if already known.
    @discardableResult
    public mutating func apply(_ event: RedemptionEvent) -> Bool { ledger.apply(event) }

    /// Applies a redemption another gate made. Returns the passage it clashes with (see
    /// `RedemptionLedger.clash`) when both together use the ticket more than it allows: a
    /// conflict, both gates admitted it while they could not hear each other. Nil when it
    /// does not clash or was known already.
    public mutating func applyPeer(_ event: RedemptionEvent) -> RedemptionEvent? {
        guard !ledger.contains(scanID: event.scanID) else { return nil }
        let allowed = index.lookup(event.barcode)?.entriesAllowed ?? 1
        let clash = ledger.clash(for: event, entriesAllowed: allowed, allowsReentry: policy.allowsReentry)
        ledger.apply(event)
        return clash
    }

    /// Takes back a redemption this gate made but could not record durably.
    @discardableResult
    public mutating func revoke(scanID: String) -> Bool {
        lastReads = lastReads.filter { $0.value.scanID != scanID }
        return ledger.revoke(scanID: scanID)
    }

    /// Swaps in the next ticket generation; the ledger is kept.
    public mutating func replaceIndex(_ next: TicketIndex) { index = next }

    /// The policy check for a known ticket; nil means GRANTED.
    func evaluate(_ ticket: Ticket, direction: Direction, at time: Timestamp) -> DenialReason? {
        guard policy.opens(direction) else { return .directionClosed(opens: policy.direction) }
        switch ticket.status {
        case .cancelled: return .cancelled(message: ticket.message)
        case .blocked: return .blocked(message: ticket.message)
        case .valid: break
        }
        if let from = ticket.validFrom, time < from { return .notYetValid(from: from) }
        if let until = ticket.validUntil, time > until { return .expired(until: until) }
        if let area = policy.area, !ticket.areas.isEmpty, !ticket.areas.contains(area) {
            return .wrongArea(gateArea: area, ticketAreas: ticket.areas)
        }
        let presence = ledger.presence(of: ticket.barcode)
        switch direction {
        case .in:
            guard let presence, presence.entries > 0 else { return nil }
            let entry = presence.lastEntry ?? presence.lastEvent
            let used = DenialReason.alreadyUsed(time: entry.time, gate: entry.gate)
            // With re-entry, a ticket that has left may come back, but never pass in twice
            // without an exit between (anti-passback). Without it, entries are counted.
            if policy.allowsReentry { return presence.inside ? used : nil }
            return presence.entries < ticket.entriesAllowed ? nil : used
        case .out:
            if policy.exitRequiresEntry, presence?.inside != true { return .wrongDirection }
            return nil
        }
    }

    /// The longest prefix of `text` within `bytes` UTF-8 bytes, cut between characters.
    private static func prefix(of text: String, bytes: Int) -> String {
        var used = 0
        return String(text.prefix { used += $0.utf8.count; return used <= bytes })
    }

    private mutating func remember(_ decision: Decision) {
        if lastReads.count >= 256 {
            lastReads = lastReads.filter {
                decision.instant.milliseconds(since: $0.value.instant) < policy.debounceMilliseconds
            }
        }
        lastReads[decision.barcode] = decision
    }
}
