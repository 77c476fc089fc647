import AdmitCore

/// One order position of the eventyay fake, as the pretixdroid API reports it.
public struct EventyayFakePosition: Sendable, Hashable {
    /// `secret`: the barcode.
    public var secret: String
    /// `order` code.
    public var order: String
    /// `item` name and `item_id`.
    public var item: String
    public var itemID: Int
    /// `variation`, if any.
    public var variation: String?
    /// `attendee_name`.
    public var attendeeName: String
    /// `attention`.
    public var attention: Bool
    /// `checkin_allowed`.
    public var checkinAllowed: Bool
    /// `paid`.
    public var paid: Bool

    /// A position for an Admit ticket: cancelled → unpaid (refunded), blocked → check-in not
    /// allowed; the item is the ticket's type (item id 1 unless the type id is a number).
    public init(_ ticket: Ticket, index: Int) {
        secret = ticket.barcode
        order = "O\(index)"
        item = ticket.typeName.isEmpty ? "Ticket" : ticket.typeName
        itemID = Int(ticket.typeID) ?? 1
        attendeeName = "Attendee \(index)"
        attention = false
        checkinAllowed = ticket.status != .blocked
        paid = ticket.status != .cancelled
    }

    func write(redeemed: Bool, to json: inout JSONWriter) {
        json.beginObject()
        json.key("secret"); json.string(secret)
        json.key("order"); json.string(order)
        json.key("item"); json.string(item)
        json.key("item_id"); json.number(itemID)
        json.key("variation")
        if let variation { json.string(variation) } else { json.raw(Array("null".utf8)) }
        json.key("attendee_name"); json.string(attendeeName)
        json.key("redeemed"); json.raw(Array((redeemed ? "true" : "false").utf8))
        json.key("attention"); json.raw(Array((attention ? "true" : "false").utf8))
        json.key("checkin_allowed"); json.raw(Array((checkinAllowed ? "true" : "false").utf8))
        json.key("paid"); json.raw(Array((paid ? "true" : "false").utf8))
        json.endObject()
    }
}

/// A required check-in question of the fake (`questions` of download and redeem).
public struct EventyayFakeQuestion: Sendable, Hashable {
    /// `id`.
    public var id: Int
    /// `question` text.
    public var question: String
    /// `items`: the item ids it is asked for.
    public var items: [Int]

    /// A required choice question.
    public init(id: Int, question: String, items: [Int]) {
        self.id = id
        self.question = question
        self.items = items
    }

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.number(id)
        json.key("type"); json.string("C")
        json.key("question"); json.string(question)
        json.key("required"); json.raw(Array("true".utf8))
        json.key("position"); json.number(1)
        json.key("items"); json.beginArray(); for item in items { json.number(item) }; json.endArray()
        json.key("options"); json.beginArray(); json.endArray()
        json.endObject()
    }
}

/// One check-in the fake recorded through `redeem/`.
public struct EventyayCheckin: Sendable, Hashable {
    /// The position's secret.
    public var secret: String
    /// `nonce`, when sent.
    public var nonce: String?
    /// `datetime` as parsed (the fake's clock when not sent).
    public var time: Timestamp
    /// True when sent with `force`.
    public var forced: Bool
}
