import AdmitControl

/// `[control]`: who may use the control socket and what it may do.
///
///     [control]
///     allowed_groups = ["admit"]    # default: the group of the socket file
///     allowed_users = ["root"]      # default: root and the daemon's own user
///     allow_scan = true             # `admitctl scan` over the socket
///     scan_rate_per_minute = 30     # socket scans a minute (and the burst)
public struct ControlConfig: Sendable, Equatable {
    /// The peers the socket admits (`allowed_users`, `allowed_groups`).
    public var access: ControlAccess
    /// May `admitctl scan` decide barcodes over the control socket?
    public var allowScan: Bool
    /// Socket scans allowed a minute, on average and at once (`scan_rate_per_minute`).
    public var scanRatePerMinute = 30

    /// The defaults: root, the daemon's user and the socket's group; scans allowed.
    public init(access: ControlAccess = ControlAccess(), allowScan: Bool = true) {
        self.access = access
        self.allowScan = allowScan
    }

    init(_ top: inout ConfigSection) throws(ConfigError) {
        self.init()
        guard var s = try top.table("control") else { return }
        let environment = s.environment
        access.groups = try Self.ids(&s, "allowed_groups", kind: "group", lookup: environment.groupID)
        access.users = try Self.ids(&s, "allowed_users", kind: "user", lookup: environment.userID)
        allowScan = try s.bool("allow_scan") ?? true
        scanRatePerMinute = try s.integer("scan_rate_per_minute", in: 1...6000) ?? scanRatePerMinute
        try s.rejectUnknownKeys()
    }

    /// A list of names or numeric ids, each name looked up in the system's database.
    private static func ids(
        _ s: inout ConfigSection, _ key: String, kind: String, lookup: (String) -> UInt32?
    ) throws(ConfigError) -> [UInt32]? {
        guard let items = try s.namesOrNumbers(key, in: 0...Int(UInt32.max - 1)) else { return nil }
        var ids: [UInt32] = []
        for item in items {
            switch item {
            case .number(let n): ids.append(UInt32(n))
            case .name(let name):
                guard let id = lookup(name) else { throw s.error(key, "no \(kind) \"\(name)\" on this system") }
                ids.append(id)
            }
        }
        return ids
    }
}
