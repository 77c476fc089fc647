/// `[mesh]`: redemptions shared with the venue's other gates over NATS JetStream. Without
/// the table the gate decides alone, as before.
public struct MeshConfig: Sendable, Equatable {
    /// Server URLs (`nats://host:4222`, `tls://…`), tried in order.
    public var servers: [String]
    /// The event: names the stream (`ADMIT_<event>`) and the claims bucket. Letters, digits, `-`, `_`.
    public var event: String
    /// Stream and bucket replicas: 1 on one server, 3 on a three-server cluster.
    public var replicas = 1
    /// How long the stream drops a re-sent message id, in seconds (default one day).
    public var dedupeWindowSeconds = 86_400
    /// Claim each ticket in the key-value bucket before GRANTED.
    public var strict = false
    /// The hard budget of a claim, in milliseconds.
    public var strictBudgetMilliseconds = 50
    /// A NATS `.creds` file.
    public var credentialsFile: String?
    /// A file holding an nkey seed.
    public var nkeySeedFile: String?
    /// User name (with `password` or `password_file`).
    public var user: String?
    /// The user's password.
    public var password: String?
    /// TLS: CA certificates to trust (turns TLS on).
    public var tlsCAFile: String?
    /// TLS: this gate's certificate and key, for servers that verify clients.
    public var tlsCertificateFile: String?
    /// The key of `tlsCertificateFile`.
    public var tlsKeyFile: String?
    /// TLS even without a CA file (system trust).
    public var tls = false

    /// A mesh over `servers` for `event`, other keys at their defaults.
    public init(servers: [String], event: String) {
        self.servers = servers
        self.event = event
    }

    static func parse(_ top: inout ConfigSection) throws(ConfigError) -> MeshConfig? {
        guard var s = try top.table("mesh") else { return nil }
        guard let servers = try s.strings("servers"), !servers.isEmpty else {
            throw s.error("servers", "is required: a list of NATS server URLs, e.g. [\"nats://10.0.0.5:4222\"]")
        }
        for url in servers where !(url.hasPrefix("nats://") || url.hasPrefix("tls://")) || url.count < 8 {
            throw s.error("servers", "\"\(url)\" is not a NATS URL (nats://host:port or tls://host:port)")
        }
        let event = try s.requiredString("event")
        guard !event.isEmpty, event.count <= 64, event.unicodeScalars.allSatisfy(Self.isNameScalar) else {
            throw s.error("event", "\"\(event)\" must be 1 to 64 letters, digits, - or _ (it names the stream)")
        }
        var config = MeshConfig(servers: servers, event: event)
        config.replicas = try s.integer("replicas", in: 1...5) ?? 1
        config.dedupeWindowSeconds = try s.integer("dedupe_window_s", in: 60...604_800) ?? 86_400
        config.strict = try s.bool("strict") ?? false
        config.strictBudgetMilliseconds = try s.integer("strict_budget_ms", in: 1...5000) ?? 50
        config.credentialsFile = try Self.readableFile(&s, "creds_file")
        config.nkeySeedFile = try Self.readableFile(&s, "nkey_seed_file")
        config.user = try s.string("user")
        if config.user != nil { config.password = try BackendConfig.secret(&s, "password") }
        config.tlsCAFile = try Self.readableFile(&s, "tls_ca_file")
        config.tlsCertificateFile = try Self.readableFile(&s, "tls_cert_file")
        config.tlsKeyFile = try Self.readableFile(&s, "tls_key_file")
        if (config.tlsCertificateFile == nil) != (config.tlsKeyFile == nil) {
            throw s.error(config.tlsCertificateFile == nil ? "tls_cert_file" : "tls_key_file", "tls_cert_file and tls_key_file go together")
        }
        config.tls = try s.bool("tls") ?? false
        if [config.credentialsFile != nil, config.nkeySeedFile != nil, config.user != nil].filter({ $0 }).count > 1 {
            throw s.error("creds_file", "give one of creds_file, nkey_seed_file or user")
        }
        try s.rejectUnknownKeys()
        return config
    }

    /// A file key whose file must be readable now (a relative name is looked up in
    /// `$CREDENTIALS_DIRECTORY`), so a typo fails at start and not at the first reconnect.
    private static func readableFile(_ s: inout ConfigSection, _ key: String) throws(ConfigError) -> String? {
        guard let file = try s.string(key) else { return nil }
        var path = file
        if !file.hasPrefix("/") {
            guard let directory = s.environment.credentialsDirectory else {
                throw s.error(key, "is a relative name but $CREDENTIALS_DIRECTORY is not set (use an absolute path or LoadCredential=)")
            }
            path = directory + "/" + file
        }
        if case .failure(let problem) = s.environment.readFile(path, 1 << 20) {
            throw s.error(key, "cannot read \(path) (\(problem.reason))")
        }
        return path
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")
    }
}
