/// Collects tickets for a `TicketTable`. Several builders can be filled side by side (one
/// per barcode range, one per core) and merged into one table; a cold start with 1 M
/// tickets reads and packs them on every core rather than one.
public struct TicketTableBuilder: Sendable {
    var arena: [UInt8] = []
    var rows: [TicketTable.Row] = []
    var profiles: [TicketProfile] = []
    private var profileNumbers: [TicketProfile: UInt32] = [:]
    var messages: [UInt32: String] = [:]

    /// A builder with room for about `capacity` tickets.
    public init(capacity: Int = 0) {
        rows.reserveCapacity(capacity)
        arena.reserveCapacity(capacity * 40)
    }

    /// Number of tickets collected.
    public var count: Int { rows.count }

    /// Adds a ticket. Barcodes longer than 255 bytes are skipped (no scanner produces them).
    public mutating func append(_ ticket: Ticket) {
        let barcode = ticket.barcode.utf8
        let id = ticket.id.utf8.prefix(255)
        guard barcode.count <= 255, !barcode.isEmpty else { return }
        let profile = TicketProfile(ticket)
        let number: UInt32
        if let known = profileNumbers[profile] {
            number = known
        } else {
            number = UInt32(profiles.count)
            profiles.append(profile)
            profileNumbers[profile] = number
        }
        let barcodeOffset = UInt32(arena.count)
        arena.append(contentsOf: barcode)
        let idOffset = UInt32(arena.count)
        arena.append(contentsOf: id)
        if let message = ticket.message { messages[UInt32(rows.count)] = message }
        rows.append(
            TicketTable.Row(
                barcodeOffset: barcodeOffset, idOffset: idOffset,
                barcodeLength: UInt8(barcode.count), idLength: UInt8(id.count),
                status: ticket.status.rawValue, hasMessage: ticket.message == nil ? 0 : 1,
                profile: number))
    }

    /// One builder holding the tickets of all `parts`, in order (a later ticket with the
    /// same barcode still wins when the table is built).
    static func merged(_ parts: [TicketTableBuilder]) -> TicketTableBuilder {
        guard parts.count > 1 else { return parts.first ?? TicketTableBuilder() }
        var result = TicketTableBuilder(capacity: 0)
        result.rows.reserveCapacity(parts.reduce(0) { $0 + $1.rows.count })
        result.arena.reserveCapacity(parts.reduce(0) { $0 + $1.arena.count })
        for part in parts {
            let shift = UInt32(result.arena.count)
            let firstRow = UInt32(result.rows.count)
            let numbers = part.profiles.map { result.number(of: $0) }
            result.arena.append(contentsOf: part.arena)
            for var row in part.rows {
                row.barcodeOffset += shift
                row.idOffset += shift
                row.profile = numbers[Int(row.profile)]
                result.rows.append(row)
            }
            for (row, message) in part.messages { result.messages[row + firstRow] = message }
        }
        return result
    }

    private mutating func number(of profile: TicketProfile) -> UInt32 {
        if let known = profileNumbers[profile] { return known }
        let number = UInt32(profiles.count)
        profiles.append(profile)
        profileNumbers[profile] = number
        return number
    }
}
