/// How to reach vivenu for one gate (`[backend] kind = "vivenu"`).
public struct VivenuSettings: Sendable, Equatable {
    /// The access-users API base, e.g. `https://vivenu.com/api/accessusers`.
    public var baseURL: String
    /// The access token (sent in the `token` header; never logged).
    public var token: String {
        get { secretToken.value }
        set { secretToken = Secret(newValue) }
    }
    /// The same, kept so that printing or dumping the settings shows `<redacted>`.
    private var secretToken: Secret
    /// The event whose tickets this gate admits.
    public var eventID: String
    /// This gate's name, sent as the device id.
    public var deviceID: String
    /// Tickets per page (`top`, 1–1000).
    public var pageSize: Int
    /// How far each delta window reaches back before the previous one ended.
    public var overlapMilliseconds: Int64
    /// The portier API base (e.g. `https://portier.vivenu.com/api`), for cross-gate scans.
    public var portierURL: String?
    /// The vivenu API key portier is called with (`Authorization: Bearer`; never logged). vivenu
    /// documents that the access-user token works on `/accessusers` endpoints only, so portier
    /// needs a key of its own; until one is configured the access token is sent.
    public var portierKey: String {
        get { secretPortierKey?.value ?? token }
        set { secretPortierKey = Secret(newValue) }
    }
    private var secretPortierKey: Secret?
    /// Per-request deadline for sync and upload.
    public var requestTimeoutMilliseconds: Int64

    /// Creates settings with the documented defaults.
    public init(
        baseURL: String, token: String, eventID: String, deviceID: String, pageSize: Int = 1000,
        overlapMilliseconds: Int64 = 60_000, portierURL: String? = nil, portierKey: String? = nil,
        requestTimeoutMilliseconds: Int64 = 10_000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        secretToken = Secret(token)
        self.eventID = eventID
        self.deviceID = deviceID
        self.pageSize = pageSize
        self.overlapMilliseconds = overlapMilliseconds
        self.portierURL = portierURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        secretPortierKey = portierKey.map(Secret.init)
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
    }
}
