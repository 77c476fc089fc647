import AdmitCore

/// How an `AdmitCore.Ticket` appears in the vivenu access-control API.
///
/// Mapping (the spec's fields that `Ticket` has no source for are sent as empty strings,
/// never left out, so the shape is always exactly the spec's):
/// - `_id` ← `id`, `barcode` ← `barcode`, `name` (the holder) ← "" (not modelled)
/// - `ticketName` ← `typeName`; `ticketTypeId` ← `"tt-"` + a slug of `typeName`
/// - `priceCategory.description` ← `category`; `priceCategoryId`, `priceCategory.categoryId`
///   and (on the barcode/scan shapes) `categoryRef` ← `"pc-"` + a slug of `category`
/// - `status` ← `VALID` for `.valid`, `INVALID` for `.cancelled`, and for `.blocked`
///   `DETAILSREQUIRED` on the `tickets/v2` and scan shapes, `INVALID` on the barcode shape
///   (each shape's status enum in vivenu's OpenAPI: v2 `VALID|INVALID|DETAILSREQUIRED`,
///   barcode `VALID|INVALID`, scan `VALID|INVALID|RESERVED|DETAILSREQUIRED|BLANK`; see
///   docs/backends/vivenu-access-control.md)
/// - `entry` ← `areas` (vivenu's list of entry permissions); `area`, `row`, `seat`,
///   `discountId`, `discount` ← ""
/// - `validFrom`, `validUntil`, `entriesAllowed` and `message` are not in the spec: not sent.
enum VivenuTicketJSON {
    /// The seller every ticket of the fake belongs to.
    static let sellerID = "seller-admit-fake"

    /// The vivenu status of a ticket status, within the enum of the shape it is written in
    /// (`blockedAs`: what a blocked ticket is on that shape).
    static func status(_ status: TicketStatus, blockedAs: String = "DETAILSREQUIRED") -> String {
        switch status {
        case .valid: "VALID"
        case .cancelled: "INVALID"
        case .blocked: blockedAs
        }
    }

    /// The `tickets/v2` shape.
    static func writeV2(_ stored: VivenuTicketStore.Stored, eventID: String, to json: inout JSONWriter) {
        let ticket = stored.ticket
        json.beginObject()
        writeIdentity(stored, eventID: eventID, to: &json)
        json.key("priceCategoryId")
        json.string(categoryID(ticket.category))
        json.key("eventId")
        json.string(eventID)
        json.key("sellerId")
        json.string(sellerID)
        json.key("createdAt")
        json.timestamp(stored.createdAt)
        json.key("updatedAt")
        json.timestamp(stored.updatedAt)
        writePriceCategory(ticket, to: &json)
        json.key("status")
        json.string(status(ticket.status))
        for key: StaticString in ["area", "row", "seat", "discountId", "discount"] {
            json.key(key)
            json.string("")
        }
        json.key("entry")
        json.beginArray()
        for area in ticket.areas { json.string(area) }
        json.endArray()
        json.endObject()
    }

    /// The "Get Ticket with barcode" shape.
    static func writeByBarcode(_ stored: VivenuTicketStore.Stored, eventID: String, to json: inout JSONWriter) {
        json.beginObject()
        writeIdentity(stored, eventID: eventID, to: &json)
        json.key("categoryRef")
        json.string(categoryID(stored.ticket.category))
        json.key("priceCategoryId")
        json.string(categoryID(stored.ticket.category))
        writeOwnership(stored, eventID: eventID, to: &json)
        writePriceCategory(stored.ticket, to: &json)
        json.key("status")
        json.string(status(stored.ticket.status, blockedAs: "INVALID"))
        json.endObject()
    }

    /// The ticket inside a "Scan Ticket with barcode" answer.
    static func writeScanned(_ stored: VivenuTicketStore.Stored, eventID: String, to json: inout JSONWriter) {
        let ticket = stored.ticket
        json.beginObject()
        json.key("_id")
        json.string(ticket.id)
        json.key("barcode")
        json.string(ticket.barcode)
        json.key("name")
        json.string("")
        json.key("status")
        json.string(status(ticket.status))
        json.key("ticketTypeId")
        json.string(typeID(ticket.typeName))
        json.key("ticketName")
        json.string(ticket.typeName)
        json.key("categoryRef")
        json.string(categoryID(ticket.category))
        writeOwnership(stored, eventID: eventID, to: &json)
        json.endObject()
    }

    private static func writeIdentity(_ stored: VivenuTicketStore.Stored, eventID: String, to json: inout JSONWriter) {
        json.key("_id")
        json.string(stored.ticket.id)
        json.key("barcode")
        json.string(stored.ticket.barcode)
        json.key("name")
        json.string("")
        json.key("ticketTypeId")
        json.string(typeID(stored.ticket.typeName))
        json.key("ticketName")
        json.string(stored.ticket.typeName)
    }

    private static func writeOwnership(_ stored: VivenuTicketStore.Stored, eventID: String, to json: inout JSONWriter) {
        json.key("eventId")
        json.string(eventID)
        json.key("sellerId")
        json.string(sellerID)
        json.key("createdAt")
        json.timestamp(stored.createdAt)
        json.key("updatedAt")
        json.timestamp(stored.updatedAt)
    }

    private static func writePriceCategory(_ ticket: Ticket, to json: inout JSONWriter) {
        json.key("priceCategory")
        json.beginObject()
        json.key("categoryId")
        json.string(categoryID(ticket.category))
        json.key("description")
        json.string(ticket.category)
        json.endObject()
    }

    /// `tt-` and the type name in ASCII lower case, every other byte as `-`.
    static func typeID(_ typeName: String) -> String { "tt-" + slug(typeName) }

    /// `pc-` and the category in ASCII lower case, every other byte as `-`.
    static func categoryID(_ category: String) -> String { "pc-" + slug(category) }

    private static func slug(_ text: String) -> String {
        guard !text.isEmpty else { return "default" }
        let bytes = text.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: UInt8(ascii: "-")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
