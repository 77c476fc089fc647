import AdmitCore

/// One barcode as the ACME fake stores it: the spec's Barcode object.
///
/// The spec's object has no field for the deactivation `code` and `message`, yet says the
/// message "may be presented to the customer when they try to use the barcode"; the fake
/// therefore reports them as `deactivationCode` and `deactivationMessage` on an inactive
/// barcode (an interpretation; the adapter treats both as optional).
public struct AcmeBarcode: Sendable, Hashable {
    /// `id`: unique id of the barcode.
    public var id: String
    /// `barcode`: the text of the barcode.
    public var barcode: String
    /// `eventId`.
    public var eventId: String
    /// `eventTemplateId`.
    public var eventTemplateId: String
    /// `ticketTypeId`.
    public var ticketTypeId: String
    /// `externalOrderNumber`.
    public var externalOrderNumber: String
    /// `status`: new, converted, voided, error.
    public var status: String
    /// `active`: false once deactivated.
    public var active: Bool
    /// `createdOn`.
    public var createdOn: Timestamp
    /// `updatedOn`: bumped by every change.
    public var updatedOn: Timestamp
    /// `usedOn`, when used.
    public var usedOn: Timestamp?
    /// The `code` of the deactivation, when deactivated.
    public var deactivationCode: Int?
    /// The `message` of the deactivation, when deactivated.
    public var deactivationMessage: String?

    /// The fake's barcode for an Admit ticket: valid → `new`/active; cancelled → inactive
    /// with the ticket's message; blocked → status `error`.
    init(_ ticket: Ticket, eventId: String, now: Timestamp) {
        id = ticket.id
        barcode = ticket.barcode
        self.eventId = eventId
        eventTemplateId = "template-\(eventId)"
        ticketTypeId = ticket.typeID.isEmpty ? ticket.typeName : ticket.typeID
        externalOrderNumber = "ext-\(ticket.id)"
        status = ticket.status == .blocked ? "error" : "new"
        active = ticket.status != .cancelled
        createdOn = now
        updatedOn = now
        if ticket.status == .cancelled {
            deactivationCode = 1
            deactivationMessage = ticket.message ?? "Order was cancelled."
        }
    }

    /// Writes the Barcode JSON object.
    func write(tenantId: String, collaboratorId: Int, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("tenantId"); json.string(tenantId)
        json.key("collaboratorId"); json.number(collaboratorId)
        json.key("eventTemplateId"); json.string(eventTemplateId)
        json.key("eventId"); json.string(eventId)
        json.key("ticketTypeId"); json.string(ticketTypeId)
        json.key("barcode"); json.string(barcode)
        json.key("externalOrderNumber"); json.string(externalOrderNumber)
        json.key("status"); json.string(status)
        json.key("active"); json.raw(Array((active ? "true" : "false").utf8))
        json.key("createdOn"); json.timestamp(createdOn)
        json.key("updatedOn"); json.timestamp(updatedOn)
        json.key("usedOn")
        if let usedOn { json.timestamp(usedOn) } else { json.raw(Array("null".utf8)) }
        if let deactivationCode {
            json.key("deactivationCode"); json.number(deactivationCode)
        }
        if let deactivationMessage {
            json.key("deactivationMessage"); json.string(deactivationMessage)
        }
        json.endObject()
    }
}

/// One item of `PUT v2/b2b/barcodes/deactivations` as the fake received it.
public struct AcmeDeactivation: Sendable, Hashable {
    /// `barcode`.
    public var barcode: String
    /// `code`, 0…3000, when sent.
    public var code: Int?
    /// `message`, at most 2048 characters, when sent.
    public var message: String?
    /// The fake's clock when it arrived.
    public var receivedAt: Timestamp
}
