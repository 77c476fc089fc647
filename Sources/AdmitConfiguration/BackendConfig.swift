import AdmitBackendCore
import Foundation

/// `[backend]`: the ticketing system this gate syncs with.
public struct BackendConfig: Sendable {
    /// The supported ticketing systems.
    public enum Kind: String, Sendable, CaseIterable {
        /// The embedded demo event; no network.
        case demo
        /// vivenu access control (and optionally vivenu portier).
        case vivenu
        /// AudienceView Professional (scanning API).
        case audienceview
        /// ACME b2b barcodes.
        case acme
        /// eventyay (pretixdroid protocol).
        case eventyay
    }

    /// The vivenu settings, when `kind = "vivenu"`.
    public var vivenu: VivenuSettings?
    /// The AudienceView settings, when `kind = "audienceview"`.
    public var audienceView: AudienceViewSettings?
    /// The ACME settings, when `kind = "acme"`.
    public var acme: AcmeSettings?
    /// The eventyay settings, when `kind = "eventyay"`.
    public var eventyay: EventyaySettings?
    /// Ask the backend first for each read, within `realtimeBudgetMilliseconds`.
    public var realtime = false
    /// The hard time budget of a realtime check.
    public var realtimeBudgetMilliseconds = 300
    /// On a first start without stored tickets, how long to wait for the first full load.
    public var firstSyncTimeoutSeconds: Double = 30
    /// `allow_insecure_http`: accept `http://` URLs to hosts other than loopback.
    public var allowInsecureHTTP = false

    /// Which system.
    public var kind: Kind
    /// Seconds between delta polls.
    public var syncIntervalSeconds: Double
    /// Seconds between outbox flushes.
    public var flushIntervalSeconds: Double
    /// Scans per upload batch.
    public var batchSize: Int

    /// Creates a backend configuration with the documented defaults.
    public init(kind: Kind, syncIntervalSeconds: Double = 10, flushIntervalSeconds: Double = 2, batchSize: Int = 100) {
        self.kind = kind
        self.syncIntervalSeconds = syncIntervalSeconds
        self.flushIntervalSeconds = flushIntervalSeconds
        self.batchSize = batchSize
    }

    init(_ s: inout ConfigSection, gateName: String) throws(ConfigError) {
        guard let kind = try s.choice("kind", as: Kind.self) else { throw s.error("kind", "is required") }
        self.init(kind: kind)
        syncIntervalSeconds = try s.number("sync_interval_s", in: 1...86_400) ?? syncIntervalSeconds
        flushIntervalSeconds = try s.number("flush_interval_s", in: 0.1...3600) ?? flushIntervalSeconds
        batchSize = try s.integer("batch_size", in: 1...1000) ?? batchSize
        firstSyncTimeoutSeconds = try s.number("first_sync_timeout_s", in: 0...3600) ?? firstSyncTimeoutSeconds
        allowInsecureHTTP = try s.bool("allow_insecure_http") ?? false
        switch kind {
        case .demo:
            break
        case .vivenu:
            realtime = try s.bool("realtime") ?? false
            realtimeBudgetMilliseconds = try s.integer("realtime_budget_ms", in: 10...10_000) ?? 300
            vivenu = VivenuSettings(
                baseURL: try s.requiredString("url"), token: try Self.secret(&s, "token"),
                eventID: try s.requiredString("event"), deviceID: gateName,
                pageSize: try s.integer("page_size", in: 1...1000) ?? 1000,
                overlapMilliseconds: Int64((try s.number("overlap_s", in: 0...3600) ?? 60) * 1000),
                portierURL: try s.string("portier_url"),
                portierKey: try Self.optionalSecret(&s, "portier_key"))
        case .audienceview:
            realtime = try s.bool("realtime") ?? false
            realtimeBudgetMilliseconds = try s.integer("realtime_budget_ms", in: 10...10_000) ?? 300
            guard let client = try s.integer("client", in: 1...Int.max) else {
                throw s.error("client", "is required (the AudienceView client id; `admitctl backend events` lists them)")
            }
            audienceView = AudienceViewSettings(
                baseURL: try s.string("url") ?? "https://api.ovationtix.com/public/scanning",
                username: try s.requiredString("username"), password: try Self.secret(&s, "password"),
                clientID: Int64(client),
                productionID: try s.integer("production", in: 1...Int.max).map(Int64.init),
                performanceID: try s.integer("performance", in: 1...Int.max).map(Int64.init))
        case .acme:
            try readRealtime(&s)
            acme = try Self.acme(&s, gateName: gateName)
        case .eventyay:
            try readRealtime(&s)
            eventyay = try Self.eventyay(&s, gateName: gateName)
        }
        if !allowInsecureHTTP {
            for key in ["url", "portier_url"] { try Self.requireSecureURL(&s, key) }
        }
    }

    /// Refuses `http://` to anything but loopback: a token sent in clear over a venue's
    /// network is a token anyone on it can use.
    static func requireSecureURL(_ s: inout ConfigSection, _ key: String) throws(ConfigError) {
        guard let text = try s.string(key), let url = URLComponents(string: text), url.scheme?.lowercased() == "http" else { return }
        let host = (url.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard !loopback else { return }
        throw s.error(key, "is http:// to \(host), which sends the credentials in clear; use https, or set allow_insecure_http = true")
    }

    /// A secret that may be left out: nil when neither `key` nor `key_file` is given, else
    /// read as `secret(_:_:)` reads it.
    static func optionalSecret(_ s: inout ConfigSection, _ key: String) throws(ConfigError) -> String? {
        guard s.has(key) || s.has("\(key)_file") else { return nil }
        return try secret(&s, key)
    }

    /// A secret given inline as `key` or in a file as `key_file` (a relative name is looked
    /// up in systemd's `$CREDENTIALS_DIRECTORY`, for `LoadCredential=`).
    static func secret(_ s: inout ConfigSection, _ key: String) throws(ConfigError) -> String {
        if let inline = try s.string(key), !inline.isEmpty { return inline }
        guard let file = try s.string("\(key)_file") else {
            throw s.error(key, "is required (or \(key)_file, a file holding it)")
        }
        var path = file
        if !file.hasPrefix("/") {
            guard let directory = s.environment.credentialsDirectory else {
                throw s.error("\(key)_file", "is a relative name but $CREDENTIALS_DIRECTORY is not set (use an absolute path or LoadCredential=)")
            }
            path = directory + "/" + file
        }
        let text: String
        switch s.environment.readFile(path, 64 * 1024) {
        case .success(let read): text = read
        case .failure(let problem): throw s.error("\(key)_file", "cannot read \(path) (\(problem.reason))")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw s.error("\(key)_file", "\(path) is empty") }
        return secret
    }
}
