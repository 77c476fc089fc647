/// An immutable, compact hash table of tickets keyed by barcode, built once per full load.
///
/// Layout, per ticket: a 16-byte row (offsets into one byte arena for barcode and id,
/// lengths, status, a profile number), about 5 bytes of open-addressing slots, and the id
/// bytes. Type names, categories, areas and validity windows are interned as profiles,
/// because thousands of tickets share a handful of them. Lookups hash the barcode bytes
/// (FNV-1a) and probe linearly; no allocation happens on the lookup path.
public final class TicketTable: Sendable {
    struct Row: Sendable {
        var barcodeOffset: UInt32
        var idOffset: UInt32
        var barcodeLength: UInt8
        var idLength: UInt8
        var status: UInt8
        var hasMessage: UInt8
        var profile: UInt32
    }

    let arena: [UInt8]
    let rows: [Row]
    let slots: [UInt32]
    let profiles: [TicketProfile]
    let messages: [UInt32: String]

    /// Number of tickets in the table.
    public var count: Int { rows.count }

    /// Bytes held by the table's storage, for the memory benchmark and `status`.
    public var storageBytes: Int {
        arena.capacity + rows.capacity * MemoryLayout<Row>.stride
            + slots.capacity * MemoryLayout<UInt32>.stride
            + profiles.reduce(0) { $0 + 64 + $1.typeName.utf8.count + $1.typeID.utf8.count + $1.category.utf8.count }
    }

    /// Sum of the barcode lengths in bytes (what the index stores beyond its own overhead).
    public var barcodeBytes: Int { rows.reduce(0) { $0 + Int($1.barcodeLength) } }

    /// An empty table.
    public convenience init() { self.init(building: []) }

    /// Builds a table. Barcodes longer than 255 bytes are skipped (no scanner produces
    /// them); when a barcode appears twice, the later ticket wins.
    public convenience init(tickets: some Sequence<Ticket>) {
        var builder = TicketTableBuilder(capacity: tickets.underestimatedCount)
        for ticket in tickets { builder.append(ticket) }
        self.init(building: [builder])
    }

    /// Builds a table from builders filled side by side, their tickets taken in order.
    public init(building parts: [TicketTableBuilder]) {
        let built = TicketTableBuilder.merged(parts)
        let arena = built.arena
        let rows = built.rows
        let capacity = max(8, rows.count + rows.count / 3 + 1)
        var slots = [UInt32](repeating: 0, count: capacity)
        arena.withUnsafeBufferPointer { bytes in
            for (rowNumber, row) in rows.enumerated() {
                let key = UnsafeBufferPointer(
                    rebasing: bytes[Int(row.barcodeOffset)..<Int(row.barcodeOffset) + Int(row.barcodeLength)])
                var slot = Self.slot(for: Self.hash(key), capacity: capacity)
                while slots[slot] != 0 {
                    let other = rows[Int(slots[slot] - 1)]
                    if other.barcodeLength == row.barcodeLength,
                        Self.equal(bytes, other.barcodeOffset, key)
                    {
                        break  // the later ticket with the same barcode replaces the earlier
                    }
                    slot = slot + 1 == capacity ? 0 : slot + 1
                }
                slots[slot] = UInt32(rowNumber + 1)
            }
        }
        self.arena = arena
        self.rows = rows
        self.slots = slots
        self.profiles = built.profiles
        self.messages = built.messages
    }

    /// The ticket with this barcode, or nil.
    public func lookup(_ barcode: String) -> Ticket? {
        var barcode = barcode
        return barcode.withUTF8 { key in
            guard let row = rowNumber(for: key) else { return nil }
            return ticket(atRow: row)
        }
    }

    /// Every ticket in the table, in load order (duplicates replaced by the later one are skipped).
    public var allTickets: [Ticket] {
        var seen = Set<Int>()
        for slot in slots where slot != 0 { seen.insert(Int(slot - 1)) }
        return seen.sorted().map(ticket(atRow:))
    }

    func rowNumber(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !slots.isEmpty else { return nil }
        return arena.withUnsafeBufferPointer { bytes in
            var slot = Self.slot(for: Self.hash(key), capacity: slots.count)
            while true {
                let entry = slots[slot]
                if entry == 0 { return nil }
                let row = rows[Int(entry - 1)]
                if Int(row.barcodeLength) == key.count, Self.equal(bytes, row.barcodeOffset, key) {
                    return Int(entry - 1)
                }
                slot = slot + 1 == slots.count ? 0 : slot + 1
            }
        }
    }

    func ticket(atRow number: Int) -> Ticket {
        let row = rows[number]
        let profile = profiles[Int(row.profile)]
        let barcode = String(
            decoding: arena[Int(row.barcodeOffset)..<Int(row.barcodeOffset) + Int(row.barcodeLength)],
            as: UTF8.self)
        let id = String(
            decoding: arena[Int(row.idOffset)..<Int(row.idOffset) + Int(row.idLength)], as: UTF8.self)
        return Ticket(
            id: id, barcode: barcode, status: TicketStatus(rawValue: row.status) ?? .blocked,
            typeName: profile.typeName, typeID: profile.typeID, category: profile.category, areas: profile.areas,
            validFrom: profile.validFrom, validUntil: profile.validUntil,
            entriesAllowed: profile.entriesAllowed,
            message: row.hasMessage == 0 ? nil : messages[UInt32(number)])
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    private static func slot(for hash: UInt64, capacity: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: hash)) &* UInt64(capacity)) >> 32)
    }

    private static func equal(
        _ arena: UnsafeBufferPointer<UInt8>, _ offset: UInt32, _ key: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let start = Int(offset)
        for i in 0..<key.count where arena[start + i] != key[i] { return false }
        return true
    }
}
