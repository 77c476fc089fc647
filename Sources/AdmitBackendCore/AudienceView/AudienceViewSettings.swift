/// How to reach AudienceView Professional for one gate (`[backend] kind = "audienceview"`).
public struct AudienceViewSettings: Sendable, Equatable {
    /// The scanning API base, e.g. `https://api.ovationtix.com/public/scanning`.
    public var baseURL: String
    /// The AudienceView Professional user with the scanning permission (usually an email).
    public var username: String
    /// The user's password (from a file or systemd credential; never logged).
    public var password: String {
        get { secretPassword.value }
        set { secretPassword = Secret(newValue) }
    }
    /// The same, kept so that printing or dumping the settings shows `<redacted>`.
    private var secretPassword: Secret
    /// The client whose tickets this gate admits (`clientId`).
    public var clientID: Int64
    /// Narrows the tickets to one series (`productionId`), if set.
    public var productionID: Int64?
    /// Narrows the tickets to one performance (`performanceId`), if set.
    public var performanceID: Int64?
    /// Tickets handed to the store per page of the (single) download.
    public var pageSize: Int
    /// Scans older than this by the backend's clock are not sent: AudienceView refuses
    /// scans more than 48 hours old, and the reply would come too late anyway.
    public var maximumScanAgeMilliseconds: Int64
    /// The token is renewed this long before `accessTokenExpiration`.
    public var tokenRenewalMarginMilliseconds: Int64
    /// Per-request deadline for uploads and small requests.
    public var requestTimeoutMilliseconds: Int64
    /// Deadline for the download of all valid tickets (one response, may be large).
    public var downloadTimeoutMilliseconds: Int64

    /// 48 hours less one minute for the request's travel and clock estimate error.
    public static let defaultMaximumScanAgeMilliseconds: Int64 = 48 * 3_600_000 - 60_000

    /// Creates settings with the documented defaults.
    public init(
        baseURL: String, username: String, password: String, clientID: Int64, productionID: Int64? = nil,
        performanceID: Int64? = nil, pageSize: Int = 5000,
        maximumScanAgeMilliseconds: Int64 = Self.defaultMaximumScanAgeMilliseconds,
        tokenRenewalMarginMilliseconds: Int64 = 60_000, requestTimeoutMilliseconds: Int64 = 10_000,
        downloadTimeoutMilliseconds: Int64 = 120_000
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.username = username
        secretPassword = Secret(password)
        self.clientID = clientID
        self.productionID = productionID
        self.performanceID = performanceID
        self.pageSize = max(1, pageSize)
        self.maximumScanAgeMilliseconds = maximumScanAgeMilliseconds
        self.tokenRenewalMarginMilliseconds = tokenRenewalMarginMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.downloadTimeoutMilliseconds = downloadTimeoutMilliseconds
    }
}
