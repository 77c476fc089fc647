/// How to reach ACME b2b for one gate (`[backend] kind = "acme"`).
public struct AcmeSettings: Sendable, Equatable {
    /// The API host, e.g. `https://api.acmeticketing.com`; paths `v2/b2b/…` are appended.
    public var baseURL: String
    /// The tenant user's API key (header `x-acme-api-key`; never logged).
    public var apiKey: String {
        get { secretAPIKey.value }
        set { secretAPIKey = Secret(newValue) }
    }
    /// The same, kept so that printing or dumping the settings shows `<redacted>`.
    private var secretAPIKey: Secret
    /// The event whose barcodes this gate admits (`eventId`), or nil to use `eventTemplateID`.
    public var eventID: String?
    /// The event template whose barcodes this gate admits, when no `eventID` is given.
    public var eventTemplateID: String?
    /// This gate's name, written into the "used" deactivation message.
    public var deviceID: String
    /// Barcodes per page (`pageSize`, 1–100). ACME defaults to 100 and documents no maximum
    /// (it recommends 1000 or fewer); 100 is Admit's own bound.
    public var pageSize: Int
    /// How far each delta window reaches back before the previous one ended.
    public var overlapMilliseconds: Int64
    /// Per-request deadline for sync and upload.
    public var requestTimeoutMilliseconds: Int64

    /// Creates settings with the documented defaults.
    public init(
        baseURL: String, apiKey: String, eventID: String?, eventTemplateID: String? = nil, deviceID: String,
        pageSize: Int = 100, overlapMilliseconds: Int64 = 60_000, requestTimeoutMilliseconds: Int64 = 10_000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        secretAPIKey = Secret(apiKey)
        self.eventID = eventID
        self.eventTemplateID = eventTemplateID
        self.deviceID = deviceID
        self.pageSize = min(100, max(1, pageSize))
        self.overlapMilliseconds = overlapMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
    }

    /// The filter naming this gate's barcodes, `eventId=…` or `eventTemplateId=…`.
    package var eventFilter: String {
        if let eventID { return "eventId=\(AcmeSettings.escape(eventID))" }
        return "eventTemplateId=\(AcmeSettings.escape(eventTemplateID ?? ""))"
    }

    /// Percent-escapes a query value or path segment.
    package static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return result
    }
}
