/// One generation of the gate's ticket data: a compact base table from the last full load
/// plus an overlay of tickets changed since (delta polls). Immutable and shareable; a sync
/// builds the next generation off the gate queue and the gate swaps it in.
///
/// Local redemptions are not part of the index: they live in `RedemptionLedger`, so a sync
/// can replace every ticket without forgetting who already went in.
public struct TicketIndex: Sendable {
    /// The compact table from the last full load (or the last compaction).
    public let base: TicketTable
    /// Tickets changed since the base was built; `nil` marks a ticket removed by the backend.
    public let overlay: [String: Ticket?]
    /// Counts generations, for status and logs.
    public let generation: Int
    /// Number of tickets this generation knows (removed ones excluded).
    public let count: Int

    /// An index of the given tickets.
    public init(tickets: some Sequence<Ticket>, generation: Int = 1) {
        let base = TicketTable(tickets: tickets)
        self.init(base: base, overlay: [:], generation: generation, count: base.count)
    }

    /// An index over a table already built (a cold start builds it on every core).
    public init(table: TicketTable, generation: Int = 1) {
        self.init(base: table, overlay: [:], generation: generation, count: table.count)
    }

    private init(base: TicketTable, overlay: [String: Ticket?], generation: Int, count: Int) {
        self.base = base
        self.overlay = overlay
        self.generation = generation
        self.count = count
    }

    /// The ticket with this (normalized) barcode, or nil when unknown.
    public func lookup(_ barcode: String) -> Ticket? {
        if !overlay.isEmpty, let changed = overlay[barcode] { return changed }
        return base.lookup(barcode)
    }

    /// The next generation with `changes` applied (a ticket with a known barcode replaces
    /// it) and `removedBarcodes` gone. When the overlay grows past an eighth of the base,
    /// the next generation is compacted into a new base table.
    public func applying(changes: [Ticket], removedBarcodes: [String] = []) -> TicketIndex {
        var overlay = self.overlay
        var count = self.count
        for ticket in changes {
            let wasKnown = lookup(ticket.barcode) != nil
            overlay[ticket.barcode] = .some(ticket)
            if !wasKnown { count += 1 }
        }
        for barcode in removedBarcodes where lookup(barcode) != nil {
            overlay[barcode] = .some(nil)
            count -= 1
        }
        if overlay.count > max(4096, base.count / 8) {
            return TicketIndex(
                tickets: Self.merged(base: base, overlay: overlay), generation: generation + 1)
        }
        return TicketIndex(base: base, overlay: overlay, generation: generation + 1, count: count)
    }

    /// Every ticket of this generation.
    public var allTickets: [Ticket] { Self.merged(base: base, overlay: overlay) }

    private static func merged(base: TicketTable, overlay: [String: Ticket?]) -> [Ticket] {
        var result: [Ticket] = []
        result.reserveCapacity(base.count + overlay.count)
        for ticket in base.allTickets where overlay[ticket.barcode] == nil {
            result.append(ticket)
        }
        for case .some(let ticket) in overlay.values { result.append(ticket) }
        return result
    }
}
