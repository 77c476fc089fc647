/// The spec's scanning error codes as the fake sends them in `errorDetails`.
enum AudienceViewErrorTable {
    struct Entry {
        var key: String
        var name: String
        var forceLogout: Bool
    }

    /// Code → key, short name and whether the token is gone afterwards.
    static let entries: [Int: Entry] = [
        1: Entry(key: "error.authorization.header_invalid", name: "Authorization Header Invalid", forceLogout: true),
        2: Entry(key: "error.authentication.failed", name: "Authentication Failed", forceLogout: true),
        3: Entry(key: "error.authorization.not_authorized", name: "Not Authorized", forceLogout: true),
        4: Entry(key: "error.authentication.password_expired", name: "Password expired", forceLogout: true),
        5: Entry(key: "error.token.expired", name: "Token Expired", forceLogout: true),
        6: Entry(key: "error.token.not_valid", name: "Token Not Valid", forceLogout: true),
        7: Entry(key: "error.user.wrong_client", name: "User Wrong Client", forceLogout: false),
        8: Entry(key: "error.ticket.wrong_client", name: "Ticket Wrong Client", forceLogout: false),
        9: Entry(key: "error.ticket.wrong_series", name: "Ticket Wrong Series", forceLogout: false),
        10: Entry(key: "error.ticket.wrong_performance", name: "Ticket Wrong Performance", forceLogout: false),
        11: Entry(key: "error.ticket.not_valid", name: "Ticket Not Valid", forceLogout: false),
        12: Entry(key: "error.ticket.already_scanned", name: "Ticket Already Scanned", forceLogout: false),
        13: Entry(key: "error.ticket.voided", name: "Ticket Voided", forceLogout: false),
        14: Entry(key: "error.ticket.refunded", name: "Ticket Refunded", forceLogout: false),
        15: Entry(key: "error.input.missing_required_field", name: "Input Missing Required Field", forceLogout: false),
        16: Entry(key: "error.unanticipated", name: "Unanticipated Error", forceLogout: false),
        17: Entry(key: "error.unanticipated.forced_logout", name: "Unanticipated Error Forced Logout", forceLogout: true),
    ]

    /// The documented failure answer: HTTP 200, `error: true`, `errorDetails`.
    static func response(code: Int, forceLogout: Bool? = nil, expiration: Int64? = nil, message: String? = nil) -> FakeHTTPResponse {
        let entry = entries[code] ?? Entry(key: "error.unknown", name: "Unknown", forceLogout: false)
        var json = JSONWriter()
        json.beginObject()
        json.key("accessTokenExpiration")
        if let expiration { json.number(Int(expiration)) } else { json.raw(Array("null".utf8)) }
        json.key("error")
        json.raw(Array("true".utf8))
        json.key("errorMessageHTML")
        json.string("<div style='font-size:1.2em;background-color:red;color:white;text-align:center;padding:5px;'><div>\(message ?? entry.name)</div></div>")
        json.key("errorDetails")
        json.beginObject()
        json.key("errorCodeId")
        json.number(code)
        json.key("errorCodeKey")
        json.string(entry.key)
        json.key("errorCodeName")
        json.string(entry.name)
        json.key("forceLogout")
        json.raw(Array(((forceLogout ?? entry.forceLogout) ? "true" : "false").utf8))
        json.endObject()
        json.endObject()
        return FakeHTTPResponse(json: json)
    }

    /// The envelope of a successful answer, left open for the endpoint's own fields.
    static func beginSuccess(_ json: inout JSONWriter, expiration: Int64) {
        json.beginObject()
        json.key("accessTokenExpiration")
        json.number(Int(expiration))
        json.key("error")
        json.raw(Array("false".utf8))
        json.key("errorMessageHTML")
        json.raw(Array("null".utf8))
        json.key("errorDetails")
        json.raw(Array("null".utf8))
    }
}
