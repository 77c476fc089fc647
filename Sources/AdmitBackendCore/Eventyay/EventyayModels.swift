import AdmitCore

/// A position as `download/`, `search/` and `redeem/` send it (only the fields Admit uses).
/// `item_id` is in the redeem example only; the download may leave it out.
package struct EventyayPosition: Decodable, Sendable {
    package var secret: String
    package var order: String?
    package var item: String?
    package var item_id: Int?
    package var variation: String?
    package var attendee_name: String?
    package var redeemed: Bool?
    package var attention: Bool?
    package var checkin_allowed: Bool?
    package var paid: Bool?
}

/// A check-in question (`questions` of download and of an `incomplete` redeem).
package struct EventyayQuestion: Decodable, Sendable {
    package var id: Int
    package var question: String?
    package var required: Bool?
    package var items: [Int]?
}

/// The answer of `download/`.
package struct EventyayDownload: Decodable, Sendable {
    package var version: Int?
    package var results: [EventyayPosition]
    package var questions: [EventyayQuestion]?
}

/// The answer of `redeem/`: `status` ok, incomplete or error, with a `reason` on errors.
package struct EventyayRedeemAnswer: Decodable, Sendable {
    package var status: String
    package var reason: String?
    package var data: EventyayPosition?
    package var questions: [EventyayQuestion]?
}

/// How eventyay's answers become Admit's tickets and words.
package struct EventyayMapping: Sendable {
    package var settings: EventyaySettings
    /// Required questions by item id; `nil` key for questions that name no items.
    package var requiredQuestions: [EventyayQuestion]

    package init(settings: EventyaySettings, questions: [EventyayQuestion]) {
        self.settings = settings
        requiredQuestions = questions.filter { $0.required ?? false }
    }

    /// The questions a gate refuses `position` for: none unless `questions = "refuse"`. When
    /// the download names no `item_id` (its example has none), every required question is
    /// taken to apply (the safe side).
    package func questions(for position: EventyayPosition) -> [EventyayQuestion] {
        guard settings.questions == .refuse else { return [] }
        return requiredQuestions.filter { q in
            guard let items = q.items, !items.isEmpty, let item = position.item_id else { return true }
            return items.contains(item)
        }
    }

    /// True when this gate admits the position's product.
    package func admitsProduct(_ position: EventyayPosition) -> Bool {
        settings.products.isEmpty || settings.products.contains(position.item ?? "")
            || position.item_id.map { settings.products.contains(String($0)) } ?? false
    }

    /// Admit's ticket: unpaid, check-in not allowed, another product and open questions are
    /// refused with a message; `attention` is shown on the console.
    package func ticket(_ p: EventyayPosition) -> Ticket {
        var status = TicketStatus.valid
        var message: String?
        let questions = questions(for: p)
        if !(p.paid ?? true) {
            (status, message) = (.blocked, "unpaid")
        } else if !(p.checkin_allowed ?? true) {
            (status, message) = (.blocked, "check-in not allowed for this ticket")
        } else if !admitsProduct(p) {
            (status, message) = (.blocked, "product \(p.item ?? "?") may not be scanned at this gate")
        } else if !questions.isEmpty {
            (status, message) = (.blocked, Self.questionsNote(questions))
        } else if p.attention ?? false {
            message = "ATTENTION: special care needed for \(p.attendee_name ?? "this attendee")"
        }
        let type = [p.item, p.variation].compactMap { $0 }.joined(separator: " – ")
        return Ticket(
            id: p.secret, barcode: p.secret, status: status, typeName: type,
            typeID: p.item_id.map(String.init) ?? "", message: message)
    }

    /// The console text for questions a gate cannot answer.
    package static func questionsNote(_ questions: [EventyayQuestion]) -> String {
        let list = questions.compactMap(\.question).joined(separator: "; ")
        return "questions must be answered at the desk (a gate cannot ask them)\(list.isEmpty ? "" : ": " + list)"
    }

    /// The words for a redeem `reason` (every documented one, and the spec's own "unkown" typo).
    package static func reasonText(_ reason: String?) -> String {
        switch reason {
        case "unpaid": "unpaid or refunded"
        case "already_redeemed": "already redeemed"
        case "product": "product may not be scanned at this device"
        case "unknown_ticket", "unkown_ticket": "unknown ticket"
        case let other?: "refused (\(other))"
        case nil: "refused"
        }
    }
}
