/// How to reach eventyay's pretixdroid API for one gate (`[backend] kind = "eventyay"`).
public struct EventyaySettings: Sendable, Equatable {
    /// The server, e.g. `https://eventyay.com`; `eventyaydroid/api/…` is appended.
    public var baseURL: String
    /// The device's secret API key (query parameter `key`; never logged).
    public var key: String {
        get { secretKey.value }
        set { secretKey = Secret(newValue) }
    }
    /// The same, kept so that printing or dumping the settings shows `<redacted>`.
    private var secretKey: Secret
    /// The organizer's slug (path part).
    public var organizer: String
    /// The event's slug (path part).
    public var event: String
    /// What the gate does with required check-in questions (`questions`; default `.ignore`,
    /// as the protocol prescribes for a client that cannot ask them).
    public var questions: EventyayQuestions
    /// Products (item names or item ids) this gate admits; empty admits every product.
    public var products: [String]
    /// How many `redeem/` requests are in flight at once during a flush.
    public var uploadConcurrency: Int
    /// Per-request deadline for redeem and status.
    public var requestTimeoutMilliseconds: Int64
    /// Deadline of the `download/` request (the whole event in one answer).
    public var downloadTimeoutMilliseconds: Int64

    /// Creates settings with the documented defaults.
    public init(
        baseURL: String, key: String, organizer: String, event: String, questions: EventyayQuestions = .ignore,
        products: [String] = [], uploadConcurrency: Int = 16, requestTimeoutMilliseconds: Int64 = 10_000,
        downloadTimeoutMilliseconds: Int64 = 120_000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        secretKey = Secret(key)
        self.organizer = organizer
        self.event = event
        self.questions = questions
        self.products = products
        self.uploadConcurrency = max(1, uploadConcurrency)
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.downloadTimeoutMilliseconds = downloadTimeoutMilliseconds
    }

    /// `…/eventyaydroid/api/{organizer}/{event}/{endpoint}/?key=…` (the key is escaped).
    package func url(_ endpoint: String, query: String = "") -> String {
        let path = "\(baseURL)/eventyaydroid/api/\(FormEncoding.escape(organizer))/\(FormEncoding.escape(event))/\(endpoint)/"
        return "\(path)?key=\(FormEncoding.escape(key))\(query.isEmpty ? "" : "&" + query)"
    }
}

/// What a gate does with eventyay's required check-in questions (`[backend] questions`).
///
/// The pretixdroid protocol says a client that cannot ask questions back to its operator
/// must not set `questions_supported`, and then "questions will just be ignored"
/// (docs/backends/eventyay.md). A turnstile cannot ask, so `ignore` is the default.
public enum EventyayQuestions: String, Sendable, Equatable, CaseIterable {
    /// Admit such tickets and redeem them without `questions_supported`: eventyay ignores
    /// the questions, as it does for every client that cannot ask them.
    case ignore
    /// Refuse tickets of a product with a required question at the gate ("answer at the
    /// desk"); a realtime `redeem/` sends `questions_supported=true`.
    case refuse

    /// One line for `admitctl status`.
    public var statusNote: String {
        switch self {
        case .ignore: "questions ignore: required check-in questions are not asked (eventyay ignores them)"
        case .refuse: "questions refuse: tickets with required check-in questions are DENIED, to the desk"
        }
    }
}

/// `application/x-www-form-urlencoded` as the redeem endpoint takes it.
package enum FormEncoding {
    /// Percent-escapes everything but unreserved characters.
    package static func escape(_ text: String) -> String {
        var result = ""
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return result
    }

    /// `name=value&…` with both sides escaped.
    package static func body(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&").utf8)
    }
}
