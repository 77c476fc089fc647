import AdmitCore

/// Writes a "Scannable Ticket" of `cache/validTickets` in the spec's shape.
enum AudienceViewTicketJSON {
    static func write(_ ticket: AudienceViewFakeTicket, alreadyScanned: Bool, to json: inout JSONWriter) {
        func text(_ value: String?) {
            if let value { json.string(value) } else { json.raw(Array("null".utf8)) }
        }
        json.beginObject()
        json.key("ticketId")
        json.number(Int(ticket.ticketId))
        json.key("performanceId")
        json.number(Int(ticket.performanceId))
        json.key("productionName")
        json.string(ticket.productionName)
        json.key("performanceStartDate")
        json.number(Int(ticket.performanceStart))
        json.key("barcode")
        json.string(ticket.barcode)
        json.key("alreadyScanned")
        json.raw(Array((alreadyScanned ? "true" : "false").utf8))
        json.key("refundedOrVoided")
        json.raw(Array((ticket.cancellation != nil ? "true" : "false").utf8))
        json.key("orderConsumerName")
        text(ticket.orderConsumerName)
        json.key("performance")
        json.string(ticket.productionName)
        json.key("section")
        text(ticket.section)
        json.key("seat")
        text(ticket.seat)
        json.key("ticketsScanned")
        json.raw(Array("null".utf8))
        json.key("ticketsSold")
        json.raw(Array("null".utf8))
        json.key("patron")
        json.raw(Array("null".utf8))
        json.endObject()
    }
}
