import AdmitCore

/// The tickets of the vivenu fake with the indexes that make paging 1 M tickets cheap.
///
/// Tickets live in slots in creation order; a page in creation order never shifts when a
/// ticket is updated mid-way through a full load. Time windows are answered from two
/// indexes sorted by `updatedAt` and `createdAt` (binary search, no full scan), and the
/// matching slots of the last window are cached until the data changes, so paging through a
/// window costs O(page) per request.
struct VivenuTicketStore {
    /// One stored ticket with the times vivenu reports.
    struct Stored {
        var ticket: Ticket
        var createdAt: Timestamp
        var updatedAt: Timestamp
        var revision: UInt32
    }

    private struct IndexEntry {
        var time: Int64
        var slot: Int32
        var revision: UInt32
    }

    private(set) var slots: [Stored] = []
    private var slotByID: [String: Int] = [:]
    private var slotByBarcode: [String: Int] = [:]
    /// Sorted by time then slot, with stale entries (older revisions) left in until compaction.
    private var byUpdated: [IndexEntry] = []
    private var byCreated: [IndexEntry] = []
    private var staleEntries = 0
    private var version = 0
    private var cachedWindow: (from: Int64, until: Int64, version: Int, slots: [Int32])?

    /// Inserts new tickets and replaces existing ones (matched by id) at time `now`:
    /// new tickets get `createdAt = updatedAt = now`, updated ones keep `createdAt`.
    mutating func upsert(_ tickets: [Ticket], now: Timestamp) {
        version += 1
        for ticket in tickets {
            if let slot = slotByID[ticket.id] {
                var stored = slots[slot]
                if stored.ticket.barcode != ticket.barcode, slotByBarcode[stored.ticket.barcode] == slot {
                    slotByBarcode[stored.ticket.barcode] = nil
                }
                stored.ticket = ticket
                stored.updatedAt = now
                stored.revision &+= 1
                slots[slot] = stored
                slotByBarcode[ticket.barcode] = slot
                staleEntries += 1
                Self.append(&byUpdated, IndexEntry(time: now.millisecondsSince1970, slot: Int32(slot), revision: stored.revision))
            } else {
                let slot = slots.count
                slots.append(Stored(ticket: ticket, createdAt: now, updatedAt: now, revision: 0))
                slotByID[ticket.id] = slot
                slotByBarcode[ticket.barcode] = slot
                let entry = IndexEntry(time: now.millisecondsSince1970, slot: Int32(slot), revision: 0)
                Self.append(&byUpdated, entry)
                Self.append(&byCreated, entry)
            }
        }
        if staleEntries > slots.count / 2 + 1024 { compactUpdatedIndex() }
    }

    /// The ticket in `slot`.
    subscript(slot: Int) -> Stored { slots[slot] }

    /// The slot of the ticket with `id`.
    func slot(id: String) -> Int? { slotByID[id] }

    /// The slot of the ticket with `barcode` (the latest upserted one if barcodes repeat).
    func slot(barcode: String) -> Int? { slotByBarcode[barcode] }

    /// The slots, in creation order, of tickets created or updated within `[from, until)`;
    /// nil bounds are open.
    mutating func window(from: Timestamp?, until: Timestamp?) -> WindowSlots {
        guard from != nil || until != nil else { return .all(slots.count) }
        let lower = from?.millisecondsSince1970 ?? .min
        let upper = until?.millisecondsSince1970 ?? .max
        if let cached = cachedWindow, cached.from == lower, cached.until == upper, cached.version == version {
            return .some(cached.slots)
        }
        var matches: [Int32] = []
        for entry in byUpdated[range(of: byUpdated, lower, upper)]
        where entry.revision == slots[Int(entry.slot)].revision {
            matches.append(entry.slot)
        }
        // Created inside the window but updated outside it: still "created_at in window".
        for entry in byCreated[range(of: byCreated, lower, upper)] {
            let updated = slots[Int(entry.slot)].updatedAt.millisecondsSince1970
            if updated < lower || updated >= upper { matches.append(entry.slot) }
        }
        matches.sort()
        cachedWindow = (lower, upper, version, matches)
        return .some(matches)
    }

    /// Bumps the data version (after a change made outside `upsert`).
    mutating func touch() { version += 1 }

    private func range(of index: [IndexEntry], _ lower: Int64, _ upper: Int64) -> Range<Int> {
        func firstIndex(notBelow time: Int64) -> Int {
            var low = 0
            var high = index.count
            while low < high {
                let mid = (low + high) / 2
                if index[mid].time < time { low = mid + 1 } else { high = mid }
            }
            return low
        }
        let start = firstIndex(notBelow: lower)
        return start..<max(start, firstIndex(notBelow: upper))
    }

    /// Appends keeping the order; a clock set backwards forces a re-sort.
    private static func append(_ index: inout [IndexEntry], _ entry: IndexEntry) {
        let outOfOrder = index.last.map { $0.time > entry.time } ?? false
        index.append(entry)
        if outOfOrder {
            index.sort { ($0.time, $0.slot) < ($1.time, $1.slot) }
        }
    }

    private mutating func compactUpdatedIndex() {
        byUpdated.removeAll { $0.revision != slots[Int($0.slot)].revision }
        staleEntries = 0
    }
}

/// Slots matching a time window: every slot, or a sorted list.
enum WindowSlots {
    case all(Int)
    case some([Int32])

    var count: Int {
        switch self {
        case .all(let count): count
        case .some(let slots): slots.count
        }
    }

    /// The slot at position `position` of the result.
    subscript(position: Int) -> Int {
        switch self {
        case .all: position
        case .some(let slots): Int(slots[position])
        }
    }
}
